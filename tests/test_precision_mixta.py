"""La precisión mixta que el cuaderno usa en la GPU, comprobada en CPU con una «GPU simulada».

Las pruebas corren sin GPU, donde ``precision_mixta()`` deja todo en float32: el camino de la GPU
no se ejecutaría nunca. Aquí se toman del cuaderno las celdas del principio (hasta la que define
``precision_mixta``) y las funciones que crean las redes grandes, se simula la GPU y se comprueba lo
que promete el texto: convoluciones en float16, salida en float32, escalado de la pérdida al compilar
y la política por defecto restaurada al salir del bloque. Sin GPU, todo en float32.
"""

import ast

import keras
import numpy as np
import pytest

from tests import ejecutar_como_script as ecs
from tests.cuaderno import leer

# Funciones del cuaderno que crean (o compilan) las redes que se entrenan con precisión mixta.
FUNCIONES = ["crear_cnn_mnist", "compilar_clasificador", "bloque_ae", "crear_unet_residual", "crear_airbench",
             "nucleo_blanqueo", "SesgoEscalado", "InicializacionIdentidad", "Triangulo", "SGDAirbench",
             "Corromper", "entrenar_ae"]
REDES = {  # nombre → cómo crearla con las funciones anteriores
    "MNIST mejorada": lambda e: e["crear_cnn_mnist"](bn=True, profunda=True, dropout=True, aumento=True),
    "U-Net residual": lambda e: e["crear_unet_residual"](8),
    "red de airbench94 (CIFAR-10)": lambda e: e["crear_airbench"](l2=1e-3),
}


def cargar(cambiar=lambda fuente: fuente):
    """Espacio de nombres con las celdas iniciales del cuaderno y las definiciones de FUNCIONES
    (su código pasa antes por ``cambiar``, para romperlo a propósito)."""
    ecs.instalar_ipython_minimo()
    celdas = [c.source for c in leer().cells if c.cell_type == "code"]
    espacio = {"__name__": "__main__", "display": ecs._display}
    for fuente in celdas:
        exec(compile(fuente, "<celda>", "exec"), espacio)
        if "def precision_mixta" in fuente:
            break
    else:
        pytest.fail("el cuaderno no define precision_mixta")
    definidas = set()
    for fuente in celdas:
        for nodo in ast.parse(fuente).body:
            if isinstance(nodo, (ast.FunctionDef, ast.ClassDef)) and nodo.name in FUNCIONES:
                exec(compile(cambiar(ast.get_source_segment(fuente, nodo)), nodo.name, "exec"), espacio)
                definidas.add(nodo.name)
    assert definidas == set(FUNCIONES), f"faltan en el cuaderno: {set(FUNCIONES) - definidas}"
    # la capa de blanqueo de airbench se calcula con imágenes: aquí basta con unas aleatorias
    espacio["NUCLEO_BLANQUEO"] = espacio["nucleo_blanqueo"](np.random.default_rng(0).normal(size=(4, 32, 32, 3)))
    return espacio


def faltas_precision(espacio, gpu):
    """Lo que no cumple la promesa del texto con `gpu` (None: sin GPU) en cada red grande."""
    espacio["GPU"] = gpu
    esperada = "mixed_float16" if gpu else "float32"
    faltas = []
    for nombre, crear in REDES.items():
        with espacio["precision_mixta"]():
            red = crear(espacio)
        if keras.config.dtype_policy().name != "float32":
            faltas.append(f"{nombre}: la política global no vuelve a float32 al salir del bloque")
        convoluciones = {c.compute_dtype for c in red.layers if isinstance(c, keras.layers.Conv2D)
                         and c.name != "correccion"}
        if red.dtype_policy.name != esperada or convoluciones != {esperada.removeprefix("mixed_")}:
            faltas.append(f"{nombre}: política {red.dtype_policy.name}, convoluciones en {convoluciones}")
        if red.outputs[0].dtype != "float32":
            faltas.append(f"{nombre}: la salida es {red.outputs[0].dtype}, no float32")
    red = espacio["compilar_clasificador"](REDES["MNIST mejorada"](espacio), keras.optimizers.Adam())  # fuera del bloque
    if type(red.optimizer).__name__ != "Adam":
        faltas.append("una red creada fuera del bloque no debe escalar la pérdida")
    with espacio["precision_mixta"]():
        red = REDES["MNIST mejorada"](espacio)
    red = espacio["compilar_clasificador"](red, keras.optimizers.Adam())
    if (type(red.optimizer).__name__ == "LossScaleOptimizer") != bool(gpu):
        faltas.append(f"optimizador {type(red.optimizer).__name__} con GPU={gpu}")
    return faltas


@pytest.fixture(scope="module")
def espacio():
    try:
        yield cargar()
    finally:
        keras.config.set_dtype_policy("float32")


def test_con_gpu_simulada_float16_con_salida_en_float32(espacio):
    assert faltas_precision(espacio, "GPU simulada") == []


def test_sin_gpu_todo_en_float32(espacio):
    assert faltas_precision(espacio, None) == []


@pytest.mark.parametrize("viejo, nuevo", [
    ('activation="softmax", dtype="float32"', 'activation="softmax"'),  # salida de la CNN de MNIST en float16
    ('name="recorte", dtype="float32"', 'name="recorte"'),              # imagen de la U-Net en float16
    ('layers.Activation("softmax", dtype="float32")(layers.Rescaling', 'layers.Activation("softmax")(layers.Rescaling'),
])
def test_la_comprobacion_detecta_una_salida_en_float16(viejo, nuevo):
    try:
        roto = cargar(lambda fuente: fuente.replace(viejo, nuevo))
        assert faltas_precision(roto, "GPU simulada") != []
    finally:
        keras.config.set_dtype_policy("float32")


def test_sgd_airbench_entrena_con_precision_mixta(espacio):
    """Con la GPU simulada, la red de airbench94 compila con SGDAirbench dentro del LossScaleOptimizer y entrena
    más allá del inicio del promedio de pesos sin valores no finitos."""
    espacio["GPU"] = "GPU simulada"
    try:
        with espacio["precision_mixta"]():
            red = espacio["crear_airbench"](l2=1e-3)
        red = espacio["compilar_clasificador"](red, espacio["SGDAirbench"](2, 10))  # promedio desde el paso 10
        rng = np.random.default_rng(0)
        x, y = rng.normal(size=(4, 32, 32, 3)).astype("float32"), np.eye(10)[rng.integers(0, 10, 4)]
        for _ in range(16):
            red.train_on_batch(x, y)
        assert type(red.optimizer).__name__ == "LossScaleOptimizer"
        assert int(red.optimizer.iterations) == 16
        assert all(np.isfinite(w).all() for w in red.get_weights())
    finally:
        espacio["GPU"] = None
        keras.config.set_dtype_policy("float32")


@pytest.mark.parametrize("gpu", ["GPU simulada", None])
def test_la_u_net_escala_la_perdida_dentro_de_su_envoltorio(espacio, gpu):
    """`entrenar_ae` compila un envoltorio (capa Corromper + la red) creado fuera de `precision_mixta()`, en float32:
    Keras solo escala la pérdida si el modelo que compila es mixed_float16. Con la GPU simulada, la U-Net en float16
    debe compilar con LossScaleOptimizer y entrenar sin valores no finitos; sin GPU, Adam tal cual."""
    espacio["GPU"] = gpu
    rng = np.random.default_rng(0)
    limpias = rng.random((8, 28, 28, 1)).astype("float32")
    sustitutos = {"xm_ent": limpias, "xm_val": limpias, "ruido_val": {0.2: limpias},
                  "entrenar": lambda modelo, *args, **kwargs: modelo}  # devuelve el envoltorio compilado, sin entrenar
    originales = {k: espacio[k] for k in sustitutos if k in espacio}  # el espacio es compartido por el módulo
    espacio.update(sustitutos)
    try:
        with espacio["precision_mixta"]():
            unet = espacio["crear_unet_residual"](8)
        envoltorio = espacio["entrenar_ae"](unet, 1)
        assert type(envoltorio.optimizer).__name__ == ("LossScaleOptimizer" if gpu else "Adam")
        for _ in range(3):
            envoltorio.train_on_batch(limpias, limpias)
        assert all(np.isfinite(w).all() for w in unet.get_weights())
    finally:
        for k in sustitutos:
            espacio.pop(k, None)
        espacio.update(originales, GPU=None)
        keras.config.set_dtype_policy("float32")


@pytest.mark.parametrize("backend", ["jax", "tensorflow"])
def test_con_jax_la_cnn_de_mnist_con_aumento_admite_jit(espacio, backend):
    """Las capas de aumento de Keras (RandomRotation, RandomTranslation, RandomZoom) declaran `supports_jit = False` por
    sus operaciones de TensorFlow, y con una sola así Keras entrena todo el modelo sin jit: con JAX, paso a paso en
    Python (unas 0,18 s de más por paso, medido en CPU). Con JAX, `crear_cnn_mnist` las marca compilables; con
    TensorFlow las deja como están (el determinismo ya quita XLA)."""
    espacio["BACKEND"] = backend
    try:
        red = espacio["crear_cnn_mnist"](bn=True, profunda=True, dropout=True, aumento=True)
        assert all(capa.supports_jit for capa in red._flatten_layers()) == (backend == "jax")
    finally:
        espacio["BACKEND"] = keras.backend.backend()
