"""Modelo de coste de la ejecución completa de ``practica3.ipynb`` en una T4 de Colab. Es una ESTIMACIÓN.

Nadie del equipo tiene una T4: este modelo cuenta el trabajo a partir del propio cuaderno y lo convierte en
segundos con unas pocas constantes con nombre, cada una con su fuente y un intervalo (optimista, probable,
pesimista). Se recalibra el día que una ejecución real en una T4 imprima la tabla «Presupuesto de tiempo» del
cuaderno: basta con comparar su columna de segundos con la de este modelo y mover las constantes.

Qué lee del cuaderno (no copia sus constantes):
- ejecuta la celda de configuración (modo completo, o el rápido con ``PRACTICA3_RAPIDO=1``) y las definiciones
  (``def``, ``class``, ``import``) de todas las celdas, y construye con ellas cada red que se entrena;
- cuenta, de cada red construida, las multiplicaciones-acumulaciones (MAC) por imagen, los valores de
  activación por imagen y sus capas.
Qué describe a mano: la lista de entrenamientos y de trabajos del anfitrión de cada parte (``plan``), con
los tamaños de la configuración. Para que no se desfase, ``tests/test_ejecucion.py`` comprueba que los pasos
de optimización por parte que predice el modelo en modo rápido son los que cuenta el cuaderno (``PASOS_PARTES``).

Un entrenamiento cuesta, por época:
    pasos × (cálculo en la GPU + coste del anfitrión por lote) + validación
con el cálculo de un paso = MAC de entrenamiento / ritmo + tráfico de activaciones / ancho de banda + coste fijo
por operación; más, una vez por entrenamiento, el trazado de la función de Keras. Sin XLA (el determinismo lo
apaga) y sin precarga de lotes en ``PyDataset`` (el anfitrión y la GPU no se solapan).

Uso: ``python tests/presupuesto_t4.py``; la última línea es ``total probable: N s (bajo L s, alto H s)``.
"""

import ast
import json
import math
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent
GIGA = 1e9


@dataclass(frozen=True)
class Constante:
    """Una constante del modelo con su intervalo (optimista, probable, pesimista) y de dónde sale."""
    optimista: float
    probable: float
    pesimista: float
    unidad: str
    fuente: str

    def valor(self, caso):
        return {"bajo": self.optimista, "probable": self.probable, "alto": self.pesimista}[caso]


# Ritmo de cálculo conseguido en la T4. Ancla: ResNet-50 v1.5 (4,1 GMAC por imagen) en inferencia sobre una
# T4, lotes de 128–256: 1 190 imágenes/s en precisión mixta y 420 en FP32 (NVIDIA DeepLearningExamples,
# PyTorch/Classification/ConvNets/resnet50v1.5/README.md, «Inference performance: NVIDIA T4»). Eso da 4,9 y
# 1,7 TMAC/s. Se supone el mismo ritmo al entrenar (un paso = 3 × las MAC de la pasada hacia delante) y, como
# probable, el 60 % del ancla: Keras sin XLA y redes de pocos canales aprovechan peor los núcleos tensoriales.
CONSTANTES = {
    "ritmo_fp16": Constante(4.9e12, 2.9e12, 1.5e12, "MAC/s",
                            "ResNet-50 AMP en T4: 1 190 img/s × 4,1 GMAC (DeepLearningExamples); probable 60 %, pesimista 30 %"),
    "ritmo_fp32": Constante(1.7e12, 1.2e12, 0.7e12, "MAC/s",
                            "ResNet-50 FP32 en T4: 420 img/s × 4,1 GMAC (DeepLearningExamples); probable 70 %, pesimista 40 %"),
    # Memoria: la hoja de datos de la T4 da 320 GB/s (GDDR6); en la práctica se consigue un 70–80 %.
    "ancho_banda": Constante(260e9, 220e9, 160e9, "B/s", "hoja de datos de NVIDIA T4: 320 GB/s; 50–80 % conseguido"),
    # Veces que un paso de entrenamiento lee o escribe cada valor de activación: escribir y leer hacia delante,
    # leer la activación y escribir y leer su gradiente hacia atrás (≈ 6); la BatchNormalization de Keras 3 no
    # está fusionada y cada una suma varias pasadas más (se cuenta aparte con `pasadas_bn`).
    "pasadas_activacion": Constante(4, 6, 10, "lecturas+escrituras por valor y paso", "recuento de la pasada hacia delante y atrás"),
    "pasadas_bn": Constante(4, 6, 10, "pasadas extra por valor de una BatchNormalization",
                            "Keras 3: BN sin fusionar (media, varianza, normalización y sus gradientes, por separado)"),
    # Coste fijo de cada operación del grafo en la GPU sin XLA: lanzamiento de un núcleo de CUDA (≈ 5 µs) más el
    # ejecutor de TensorFlow, por operación y paso.
    "coste_operacion": Constante(6e-6, 12e-6, 25e-6, "s por operación y paso", "lanzamiento de CUDA ≈ 5 µs + ejecutor de TF"),
    "operaciones_por_capa": Constante(3, 4, 6, "operaciones por capa y paso (delante, atrás, pesos)", "recuento del grafo"),
    "operaciones_por_variable": Constante(1, 2, 4, "operaciones del optimizador por variable y paso", "recuento del grafo"),
    # Trazado y preparación de la función de entrenamiento de Keras, una vez por `fit` (Python y Grappler en el
    # anfitrión, más la elección de algoritmos de cuDNN en la GPU): 3–13 s por fit según el informe del modelo de
    # coste anterior (issue del presupuesto); aquí, una parte fija más una por capa.
    "trazado_fijo": Constante(1.5, 3.0, 6.0, "s por fit", "informe del presupuesto: 3–13 s por fit"),
    "trazado_por_capa": Constante(0.03, 0.06, 0.12, "s por capa y fit", "informe del presupuesto: 3–13 s por fit"),
    "trazado_prediccion": Constante(0.3, 0.8, 2.0, "s por modelo que predice o evalúa", "trazado de predict/evaluate"),
    # Anfitrión: coste por lote de entregar un PyDataset por tf.data.from_generator (sin precarga con el
    # determinismo) o un array de NumPy, sin contar el __getitem__ (que se mide aparte, ver COSTE_LOTE).
    "entrega_pydataset": Constante(1.0e-3, 2.0e-3, 4.0e-3, "s por lote", "informe del presupuesto: 1–9 ms por lote"),
    "entrega_array": Constante(0.2e-3, 0.4e-3, 1.0e-3, "s por lote", "tf.data desde tensores en memoria"),
    # Las CPU de Colab (2 vCPU) frente a las de esta máquina (2 núcleos): mismo número de núcleos.
    "anfitrion_colab": Constante(0.8, 1.0, 1.3, "× el tiempo medido aquí", "2 vCPU de Colab frente a 2 núcleos aquí"),
}


# ---------------------------------------------------------------------------------------------------------
# Lo que se lee del cuaderno
# ---------------------------------------------------------------------------------------------------------
ASIGNACIONES = {"FILTROS_CLASICOS", "ingredientes", "ingredientes_cifar"}  # asignaciones de fuera de la configuración que el modelo necesita


def _asigna(nodo, nombres):
    return isinstance(nodo, ast.Assign) and any(isinstance(t, ast.Name) and t.id in nombres for t in nodo.targets)


def cargar_cuaderno(ruta=RAIZ / "practica3.ipynb", fuentes=None):
    """Espacio de nombres con la configuración y las definiciones del cuaderno, como en una T4.

    Se ejecutan enteras la primera celda (bibliotecas) y la de configuración; de las demás, solo sus ``import``,
    ``def`` y ``class``. ``GPU`` se fija a una T4 para que las redes se construyan con la política de precisión
    que usarán allí. ``fuentes`` (lista de códigos de celda) sustituye al cuaderno en las pruebas."""
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    if fuentes is None:
        celdas = json.loads(Path(ruta).read_text())["cells"]
        fuentes = ["".join(c["source"]) for c in celdas if c["cell_type"] == "code"]
    import contextlib, io
    espacio = {"__name__": "presupuesto_t4", "display": lambda *a, **k: None}
    for i, fuente in enumerate(fuentes):
        configuracion = "RAPIDO = os.environ" in fuente
        entera = i == 0 or configuracion
        if configuracion:
            espacio["GPU"] = "Tesla T4"  # el aviso de «sin GPU» no se imprime y la precisión mixta se activa
        arbol = ast.parse(fuente)
        if not entera:
            arbol.body = [n for n in arbol.body if isinstance(n, (ast.Import, ast.ImportFrom, ast.FunctionDef,
                                                                   ast.ClassDef)) or _asigna(n, ASIGNACIONES)]
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(arbol, f"<celda {i}>", "exec"), espacio)
    espacio["GPU"] = "Tesla T4"
    espacio["_FUENTES"] = fuentes
    # Lo que las redes de tipo airbench leen de los datos: solo importa su forma (los filtros del blanqueo).
    lado = espacio["CIFAR_LADO_BLANQUEO"]
    import numpy as np
    espacio["NUCLEO_BLANQUEO"] = np.zeros((lado, lado, 3, 2 * lado * lado * 3), "float32")
    espacio["ESCALA_CIFAR"], espacio["DESPLAZAMIENTO_CIFAR"] = np.ones(3, "float32"), np.zeros(3, "float32")
    return espacio


@dataclass(frozen=True)
class Red:
    """Lo que cuesta una red por imagen: MAC hacia delante, valores de activación (y de BN), capas y variables."""
    nombre: str
    mac: float
    activaciones: float
    activaciones_bn: float
    bytes_valor: int
    capas: int
    variables: int


def medir_red(modelo):
    """MAC por imagen (convoluciones y densas), valores de activación por imagen, capas y variables entrenables."""
    mac = activaciones = activaciones_bn = 0.0
    for capa in modelo.layers:
        salida = capa.output.shape[1:]
        n_salida = math.prod(salida)
        tipo = type(capa).__name__
        if tipo in ("Conv2D", "Conv2DTranspose"):
            alto, ancho = capa.kernel_size
            c_ent, c_sal = capa.input.shape[-1], capa.filters
            posiciones = math.prod(capa.input.shape[1:3]) if tipo == "Conv2DTranspose" else math.prod(salida[:2])
            mac += posiciones * alto * ancho * c_ent * c_sal
        elif tipo == "Dense":
            mac += capa.input.shape[-1] * capa.units
        if tipo != "InputLayer":
            activaciones += n_salida
        if tipo == "BatchNormalization":
            activaciones_bn += n_salida
    mixta = any(getattr(c, "compute_dtype", "float32") == "float16" for c in modelo.layers)
    return Red(modelo.name, mac, activaciones, activaciones_bn, 2 if mixta else 4, len(modelo.layers),
               len(modelo.trainable_weights))


# ---------------------------------------------------------------------------------------------------------
# El plan: qué se entrena, qué se predice y qué hace el anfitrión en cada parte
# ---------------------------------------------------------------------------------------------------------
# Tamaños de los conjuntos que descarga Colab (entrenamiento, test).
TAMANOS = {"mnist": (60_000, 10_000), "cifar": (50_000, 10_000), "moda": (60_000, 10_000)}


@dataclass
class Entrenamiento:
    parte: str
    nombre: str
    red: object            # función sin argumentos que construye la red (keras.Model)
    n: int                 # imágenes de entrenamiento
    epocas: int
    lote: int
    n_val: int             # imágenes de validación evaluadas al final de cada época
    lotes: str             # 'array' o el tipo de PyDataset (clave de COSTE_LOTE)
    veces: int = 1

    @property
    def pasos(self):
        return self.veces * self.epocas * math.ceil(self.n / self.lote)


@dataclass
class Prediccion:
    parte: str
    nombre: str
    red: object
    n: int                 # imágenes que pasan por la red (todas las pasadas juntas)
    veces: int = 1         # modelos distintos (cada uno traza su función de predicción)


@dataclass
class Anfitrion:
    parte: str
    nombre: str
    segundos: float        # medidos en esta máquina (2 núcleos), en modo completo (o por unidad, con `clave`)
    fuente: str
    clave: str = ""        # si no está vacía: `segundos` son unidades y el coste por unidad es COSTE_LOTE[clave]


def tamanos(ns, conjunto):
    """(entrenamiento, validación, test) tras la submuestra de la configuración y la partición estratificada."""
    total, test = TAMANOS[conjunto]
    n = min(ns["N_ENTRENAMIENTO"] or total, total)
    n_val = math.ceil(ns["FRACCION_VALIDACION"] * n)  # como train_test_split(test_size=…)
    return n - n_val, n_val, min(ns["N_TEST"] or test, test)


def plan(ns):
    """Lista de trabajos del cuaderno, parte a parte, con los tamaños de su configuración (modo del espacio `ns`)."""
    keras, trabajos = ns["keras"], []
    e_mn, v_mn, t_mn = tamanos(ns, "mnist")
    e_ci, v_ci, t_ci = tamanos(ns, "cifar")
    e_mo, v_mo, t_mo = tamanos(ns, "moda")

    # Configuración: no entrena nada (las comprobaciones de las funciones auxiliares están en tests/).

    # 1.1: comprobación en validación (una variante por cambio, en una submuestra) y las semillas del modelo final.
    p = "Ejercicio 1.1"
    lenet, lote, variantes = ns["crear_lenet"], ns["LENET_LOTE"], ns["LENET_VARIANTES"].values()
    n_evid, e_evid = min(ns["LENET_N_COMPROBACION"], e_mn), ns["LENET_EPOCAS_COMPROBACION"]
    sin_aumento = sum(c.get("traslacion", ns["LENET_TRASLACION"]) == 0 for c in variantes)
    trabajos += [Entrenamiento(p, "comprobación: variantes con aumento", lenet, n_evid, e_evid, lote, v_mn,
                               "mnist_aumentado", len(variantes) - sin_aumento),
                 Entrenamiento(p, "comprobación: variante sin aumento", lenet, n_evid, e_evid, lote, v_mn, "sin_aumento",
                               sin_aumento),
                 Entrenamiento(p, "modelo final (semillas)", lenet, e_mn, ns["LENET_EPOCAS"], lote, v_mn, "mnist_aumentado",
                               ns["LENET_REPETICIONES"]),
                 Prediccion(p, "test: evaluate + predict de cada semilla", lenet, 3 * t_mn * ns["LENET_REPETICIONES"],
                            ns["LENET_REPETICIONES"])]

    # 1.3 MNIST: ablación acumulativa en una submuestra (una fila por ingrediente, la última es la receta final) y
    # la red final con todo el entrenamiento.
    p, cnn = "Ejercicio 1.3 (MNIST)", ns["crear_cnn_mnist"]
    n_abl, e_abl, receta = min(ns["MNIST_N_ABLACION"], e_mn), ns["MNIST_EPOCAS_ABLACION"], {}
    arquitectura = lambda r: {k: v for k, v in r.items() if k != "suavizado"}
    for nombre, cambio in ns["ingredientes"].items():  # las filas de la ablación del cuaderno
        receta = {**receta, **cambio}
        trabajos.append(Entrenamiento(p, f"ablación {nombre}", _con_precision(ns, cnn, arquitectura(receta)), n_abl, e_abl,
                                      ns["MNIST_LOTE"], v_mn, "array"))
    final = _con_precision(ns, cnn, arquitectura(ns["MNIST_RECETA"]))
    trabajos += [Entrenamiento(p, "red final", final, e_mn, ns["MNIST_EPOCAS"], ns["MNIST_LOTE"], v_mn, "array"),
                 Prediccion(p, "test: predict del final", final, 2 * t_mn)]

    # 1.3 CIFAR-10: ablación acumulativa en una submuestra (la fila del TTA no entrena: evalúa el modelo anterior),
    # cada fila evaluada después de fit (1 vista; 6 con TTA), y el modelo final con todo el entrenamiento.
    p = "Ejercicio 1.3 (CIFAR-10)"
    n_abl, e_abl, receta = min(ns["CIFAR_N_ABLACION"], e_ci), ns["CIFAR_EPOCAS_ABLACION"], {}
    for nombre, cambio in ns["ingredientes_cifar"].items():  # las filas de la ablación del cuaderno
        receta = {**receta, **cambio}
        if set(cambio) != {"tta"}:
            trabajos.append(_entrenamiento_cifar(ns, p, f"ablación {nombre}", receta, n_abl, e_abl, v_ci))
        trabajos.append(Prediccion(p, f"validación tras fit: {nombre}", trabajos[-1].red, _vistas(receta) * v_ci))
    final = _entrenamiento_cifar(ns, p, "modelo final", ns["CIFAR_RECETA"], e_ci, ns["CIFAR_EPOCAS"], v_ci)
    vistas = _vistas(ns["CIFAR_RECETA"])
    trabajos += [final, Prediccion(p, "validación sin y con TTA; test con TTA", final.red, (1 + vistas) * v_ci + vistas * t_ci)]

    # Ejercicio 2: autoencoders y la U-Net residual. Los lotes salen de arrays; el ruido lo añade en la GPU la capa
    # `Corromper` del cuaderno (unas pocas operaciones elemento a elemento por paso, de coste despreciable frente al
    # resto del paso: no se cuenta aparte).
    p, ae, lote = "Ejercicio 2", ns["crear_ae"], ns["AE_LOTE"]
    unet = _con_precision(ns, ns["crear_unet_residual"], {})  # un constructor: la red se construye y mide una vez
    e_exp, sigmas = ns["AE_EPOCAS_EXPERIMENTO"], ns["AE_SIGMAS"]
    autoencoder = lambda nombre, red, epocas, veces=1: Entrenamiento(p, nombre, red, e_mo, epocas, lote, v_mo, "array", veces)
    trabajos += [autoencoder("arquitectura indicada", ae, ns["AE_EPOCAS"]),
                 autoencoder("a. un σ por modelo", ae, e_exp, len(sigmas)),
                 autoencoder("b. pérdidas (BCE, MAE, −PSNR)", ae, e_exp, 3),
                 autoencoder("c. cuello (16, 4)", lambda: ae(filtros=(16, 4)), e_exp),
                 autoencoder("c. cuello (16, 32)", lambda: ae(filtros=(16, 32)), e_exp),
                 autoencoder("c. más ancha (32, 32)", lambda: ae(filtros=(32, 32)), e_exp),
                 autoencoder("c. más profunda", lambda: ae(extra=True), e_exp),
                 autoencoder("d. U-Net residual", unet, ns["AE_MEJORADO_EPOCAS"])]
    evaluaciones_val = 1 + len(sigmas) ** 2 + 4 + 5  # indicada, matriz σ×σ, b (4 pérdidas), c (5 variantes)
    trabajos += [Prediccion(p, "validación de los autoencoders", ae, evaluaciones_val * v_mo, 1 + len(sigmas) + 3 + 4),
                 Prediccion(p, "U-Net: validación y test", unet, v_mo + t_mo),
                 Prediccion(p, "test del AE indicado", ae, t_mo)]
    # SSIM (metricas_imagen con ssim=True): solo donde se muestra. En validación: la entrada ruidosa (1), la
    # arquitectura indicada (1), las pérdidas de b (4), las variantes de c (5) y la U-Net (1); en test: la entrada,
    # los filtros clásicos y los dos autoencoders. Sin SSIM (solo PSNR): la matriz de a y el ajuste de los filtros
    # clásicos.
    n_metricas = (1 + 1 + 4 + 5 + 1) * v_mo + (1 + len(ns["FILTROS_CLASICOS"]) + 2) * t_mo
    trabajos.append(Anfitrion(p, "SSIM de las evaluaciones que la muestran", n_metricas, "metricas_imagen medida aquí", "ssim"))
    for nombre, (_, candidatos) in ns["FILTROS_CLASICOS"].items():  # ajuste en validación y una pasada por el test
        n = len(candidatos) * min(ns["AE_N_AJUSTE_CLASICO"], v_mo) + t_mo
        trabajos.append(Anfitrion(p, f"filtro clásico: {nombre}", n, "medido aquí, por imagen", f"filtro:{nombre}"))
    return trabajos + anfitrion(ns)


def _con_precision(ns, constructor, opciones):
    """Constructor sin argumentos de una red creada como en el cuaderno (con precisión mixta si toca)."""
    def construir():
        with ns["precision_mixta"]():
            return constructor(**opciones)
    return construir


def _vistas(receta):
    """Pasadas por la red de cada imagen evaluada con el nivel de TTA de `receta` (0: 1; 1: 2; 2: 6)."""
    return {0: 1, 1: 2, 2: 6}[receta["tta"]]


def _entrenamiento_cifar(ns, parte, nombre, cambios, n, epocas, n_val):
    """Un entrenamiento de `entrenar_cifar` con la receta CIFAR_RECETA + `cambios`: su red, su lote y sus lotes."""
    o = {**ns["CIFAR_RECETA"], **cambios}
    sgd = o["optimizador"] == "sgd"
    if o["red"] == "lenet":  # en float32, como en el cuaderno
        red = lambda: ns["crear_lenet"]((32, 32, 3))
    else:
        red = _con_precision(ns, ns["crear_airbench"], {"blanqueo": o["blanqueo"], "identidad": o["identidad"],
                                                        "sesgos_rapidos": o["sesgos_rapidos"],
                                                        "l2": ns["CIFAR_DECAIMIENTO"] / ns["CIFAR_TASA"] if sgd else 0.0})
    lotes = "cifar_alterno" if o["volteo"] == "alterno" else ("cifar_1024" if sgd else "cifar_128")
    assert o["volteo"] in (False, "alterno"), "el modelo no tiene el coste de otro volteo"
    return Entrenamiento(parte, nombre, red, n, epocas, ns["CIFAR_LOTE"] if sgd else ns["LENET_LOTE"], n_val, lotes)


def anfitrion(ns):
    """Trabajo del anfitrión medido en esta máquina (2 núcleos) en modo completo; se escala con `anfitrion_colab`.

    Las cifras salen de ``PRACTICA3_PASOS_MAX=2 python -m tests.memoria_por_parte`` con los datos a escala
    completa (``mnist-completo.npz`` como MNIST, CIFAR-10 de las JPEG): los segundos de cada celda sin
    entrenamientos, y de las que entrenan, lo que no es entrenamiento (ver MEDIDO)."""
    if ns["RAPIDO"]:
        return []
    fijos = [("Configuración", "importar TensorFlow, Keras, scikit-learn…", 7.5,
              "medido aquí: `python -c 'import keras, tensorflow, sklearn, skimage, pandas, matplotlib.pyplot'`"),
             ("Ejercicio 1.1", "descargar MNIST (11 MB)", 3.0, "estimado: sin red aquí; servidor de Google, rápido"),
             ("Ejercicio 1.3 (CIFAR-10)", "descargar la copia del Hub (144 MB)", 10.0,
              "estimado: sin red aquí; unos 15–50 MB/s desde Colab"),
             ("Ejercicio 2", "descargar Fashion-MNIST (30 MB)", 4.0, "estimado: sin red aquí")]
    por_parte = [Anfitrion(parte, nombre, segundos, fuente) for parte, nombre, segundos, fuente in fijos + MEDIDO]
    por_parte += [Anfitrion(parte, f"figuras en PNG: {n} (una por llamada escrita, un mínimo)", n, "dibujo medido aquí",
                            "figura") for parte, n in figuras_por_parte(ns["_FUENTES"]).items()]
    total, _ = TAMANOS["cifar"]
    por_parte.append(Anfitrion("Ejercicio 1.3 (CIFAR-10)", "decodificar 60 000 PNG de 32×32", total + TAMANOS["cifar"][1],
                               "PIL, medido aquí", "png"))
    return por_parte


# (parte, trabajo, segundos en esta máquina, de dónde sale). Configuración y 1.1: medido el 2026-12-03 en esta
# máquina (2 núcleos) con otras dos ejecuciones a la vez (cada cifra puede estar inflada hasta ×2: es el lado
# pesimista de lo probable). 1.2: medido el 2026-12-04 con la máquina en reposo (`memoria_por_parte` con
# `PRACTICA3_PASOS_MAX=2`: 1.2 no entrena redes, así que sus segundos son los del modo completo), con
# `mnist-completo.npz` (50 000 + 10 000 dígitos); Colab tiene 60 000 + 10 000: HOG se escala por 70/60 y el ajuste
# final del SVM por (60/50)^1,5 (el SVC RBF crece entre n y n²). Medidas con el cuaderno de `6b9a357`: desde entonces
# la configuración ya no comprueba nada (un poco menos), 1.1 muestra menos figuras y la rejilla de C es {1, 3, 10} en vez
# de {3, 10, 30} (C = 1 deja algo más de vectores de soporte); las cifras quedan del lado pesimista o casi iguales.
# El estudio de coste de la PCA (12,9 s) salió del cuaderno el 2026-12-06: lo cita el texto de 1.2.
_ESCALA_HOG, _ESCALA_SVM = 70 / 60, (60 / 50) ** 1.5
MEDIDO = [
    ("Configuración", "celdas sin entrenamiento (tablas, funciones)", 1.1, "celdas de la configuración"),
    ("Ejercicio 1.1", "partición y preparación de MNIST", 2.5, "celda de train_test_split"),
    ("Ejercicio 1.1", "resultados, filtros y mapas (sin dibujar)", 3.1, "celdas de resultados de 1.1"),
    ("Ejercicio 1.2", "enderezado, HOG de ejemplo y su dibujo", 0.4, "tres primeras celdas de 1.2"),
    ("Ejercicio 1.2", "validación cruzada: 8 HOG de 3 000 imágenes, 72 ajustes PCA + SVM", 28.4, "celda de la búsqueda"),
    ("Ejercicio 1.2", "HOG de entrenamiento y test", 23.2 * _ESCALA_HOG, "celda de extracción, ×70/60"),
    ("Ejercicio 1.2", "PCA + SVM final y predicción del test", 19.8 * _ESCALA_SVM, "celda del modelo final, ×1,31"),
    ("Ejercicio 1.2", "McNemar y discusión", 0.2, "dos últimas celdas de 1.2"),
]


# ---------------------------------------------------------------------------------------------------------
# De trabajo a segundos
# ---------------------------------------------------------------------------------------------------------
def medir_coste_lote(ns, repeticiones=30):
    """Segundos por lote de __getitem__ de cada PyDataset del cuaderno, medidos aquí (mediana), con sus clases."""
    import time
    import numpy as np
    rng = np.random.default_rng(0)
    gris = rng.random((4096, 28, 28, 1), dtype=np.float32)
    color = rng.integers(0, 256, (4096, 32, 32, 3), dtype=np.uint8)
    y = np.eye(10, dtype="float32")[rng.integers(0, 10, 4096)]
    traslacion = ns["LENET_TRASLACION"]
    conjuntos = {
        "sin_aumento": ns["LotesAumentados"](gris, y, ns["LENET_LOTE"], 0),
        "mnist_aumentado": ns["LotesAumentados"](gris, y, ns["LENET_LOTE"], traslacion),
        **{clave: ns["LotesAumentados"](color, y, lote, ns["CIFAR_RELLENO"], voltear=volteo, modo="reflect",
                                        transformar=ns["estandarizar"])
           for clave, lote, volteo in [("cifar_128", ns["LENET_LOTE"], False), ("cifar_1024", ns["CIFAR_LOTE"], False),
                                       ("cifar_alterno", ns["CIFAR_LOTE"], "alterno")]},
    }
    coste = {f"filtro:{nombre}": _mediana_por_imagen(lambda x, f=filtro, c=candidatos: f(x, c[len(c) // 2]), gris[:400])
             for nombre, (filtro, candidatos) in ns["FILTROS_CLASICOS"].items()}
    coste |= {"array": 0.0, "figura": _segundos_figura(), "png": _mediana_por_imagen(_decodificar_png, _png(color[:500])), "ssim": _mediana_por_imagen(lambda x: ns["metricas_imagen"](x, x[::-1]), gris[:300])}
    for tipo, lotes in conjuntos.items():
        tiempos = []
        for i in range(repeticiones):
            inicio = time.perf_counter()
            lotes[i % len(lotes)]
            tiempos.append(time.perf_counter() - inicio)
        coste[tipo] = float(np.median(tiempos))
    return coste


def _segundos_figura():
    """Segundos de dibujar en PNG (como el modo en línea de Colab) una rejilla de 2 × 10 imágenes con títulos."""
    import io
    import time
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    tiempos = []
    for _ in range(3):
        inicio = time.perf_counter()
        fig, ejes = plt.subplots(2, 10, figsize=(13, 3))
        for eje in ejes.ravel():
            eje.imshow(np.random.rand(28, 28), cmap="gray")
            eje.set_title("ejemplo", fontsize=8)
            eje.axis("off")
        fig.tight_layout()
        fig.savefig(io.BytesIO(), format="png")
        plt.close(fig)
        tiempos.append(time.perf_counter() - inicio)
    return float(np.median(tiempos))


FIGURAS = {"plt.show", "mostrar_rejilla", "curvas_aprendizaje", "evaluar_clasificador", "galeria_errores"}


def figuras_por_parte(fuentes):
    """Llamadas que dibujan una figura, por parte, fuera de las definiciones (una por llamada escrita; en los
    bucles se cuenta una vez: es un mínimo)."""
    import re
    cuenta, parte = {}, "Configuración"
    for fuente in fuentes:
        marca = re.search(r'^marcar_parte\("([^"]+)"\)', fuente, re.M)
        parte = marca.group(1) if marca else parte
        arbol = ast.parse(fuente)
        dentro = {id(n) for f in ast.walk(arbol) if isinstance(f, (ast.FunctionDef, ast.ClassDef)) for n in ast.walk(f)}
        for nodo in ast.walk(arbol):
            if isinstance(nodo, ast.Call) and id(nodo) not in dentro and ast.unparse(nodo.func) in FIGURAS:
                cuenta[parte] = cuenta.get(parte, 0) + 1
    return cuenta


def _png(imagenes):
    """Las imágenes como PNG en memoria (como las guarda la copia del Hub)."""
    import io
    from PIL import Image
    codificadas = []
    for imagen in imagenes:
        b = io.BytesIO()
        Image.fromarray(imagen).save(b, format="PNG")
        codificadas.append(b.getvalue())
    return codificadas


def _decodificar_png(codificadas):
    import io
    import numpy as np
    from PIL import Image
    return np.stack([np.asarray(Image.open(io.BytesIO(b)).convert("RGB")) for b in codificadas])


def _mediana_por_imagen(funcion, x, repeticiones=3):
    """Segundos por imagen de `funcion(x)` (mediana de varias repeticiones)."""
    import time
    import numpy as np
    tiempos = []
    for _ in range(repeticiones):
        inicio = time.perf_counter()
        funcion(x)
        tiempos.append((time.perf_counter() - inicio) / len(x))
    return float(np.median(tiempos))


def segundos_paso(red, lote, caso):
    """Segundos de GPU de un paso de entrenamiento de `red` con `lote` imágenes."""
    c = lambda nombre: CONSTANTES[nombre].valor(caso)
    ritmo = c("ritmo_fp16") if red.bytes_valor == 2 else c("ritmo_fp32")
    calculo = 3 * red.mac * lote / ritmo
    memoria = (c("pasadas_activacion") * red.activaciones + c("pasadas_bn") * red.activaciones_bn) * red.bytes_valor * lote
    fijo = c("coste_operacion") * (c("operaciones_por_capa") * red.capas + c("operaciones_por_variable") * red.variables)
    return calculo + memoria / c("ancho_banda") + fijo


def segundos_prediccion(red, n, lote, caso):
    """Segundos de GPU de pasar `n` imágenes hacia delante (un tercio del paso de entrenamiento, sin optimizador)."""
    c = lambda nombre: CONSTANTES[nombre].valor(caso)
    ritmo = c("ritmo_fp16") if red.bytes_valor == 2 else c("ritmo_fp32")
    memoria = 2 * (red.activaciones + red.activaciones_bn) * red.bytes_valor * n / c("ancho_banda")
    pasos = math.ceil(n / lote)
    return red.mac * n / ritmo + memoria + pasos * c("coste_operacion") * red.capas


def medir_redes(trabajos):
    """{id del constructor: Red} de cada red del plan, construida y medida una vez."""
    redes = {}
    for t in trabajos:
        if hasattr(t, "red") and id(t.red) not in redes:
            redes[id(t.red)] = medir_red(t.red())
    return redes


def costes(ns, trabajos, redes, coste_lote, caso):
    """Segundos de cada trabajo en el caso dado ('bajo', 'probable', 'alto')."""
    c = lambda nombre: CONSTANTES[nombre].valor(caso)
    filas = []
    for t in trabajos:
        if isinstance(t, Anfitrion):
            por_unidad = coste_lote[t.clave] if t.clave else 1.0
            filas.append((t, t.segundos * por_unidad * c("anfitrion_colab")))
            continue
        red = redes[id(t.red)]
        if isinstance(t, Prediccion):
            lote = ns["LOTE_INFERENCIA"]
            segundos = (segundos_prediccion(red, t.n, lote, caso) + t.veces * c("trazado_prediccion")
                        + math.ceil(t.n / lote) * c("entrega_array"))
        else:
            entrega = c("entrega_array") if t.lotes == "array" else c("entrega_pydataset")
            por_lote = segundos_paso(red, t.lote, caso) + entrega + coste_lote[t.lotes] * c("anfitrion_colab")
            validacion = t.epocas * t.veces * (segundos_prediccion(red, t.n_val, t.lote, caso)
                                               + math.ceil(t.n_val / t.lote) * c("entrega_array"))
            trazado = t.veces * (c("trazado_fijo") + c("trazado_por_capa") * red.capas
                                 + (c("trazado_prediccion") if t.n_val else 0))
            segundos = t.pasos * por_lote + validacion + trazado
        filas.append((t, segundos))
    return filas


PARTES = ["Configuración", "Ejercicio 1.1", "Ejercicio 1.2", "Ejercicio 1.3 (MNIST)", "Ejercicio 1.3 (CIFAR-10)",
          "Ejercicio 2", "Resumen y conclusiones"]
OBJETIVO = {"Configuración": 60, "Ejercicio 1.1": 150, "Ejercicio 1.2": 300, "Ejercicio 1.3 (MNIST)": 150,
            "Ejercicio 1.3 (CIFAR-10)": 300, "Ejercicio 2": 240}


def pasos_por_parte(trabajos):
    """Pasos de optimización por parte que predice el plan (lo que el cuaderno suma en PASOS_PARTES)."""
    pasos = {}
    for t in trabajos:
        if isinstance(t, Entrenamiento):
            pasos[t.parte] = pasos.get(t.parte, 0) + t.pasos
    return pasos


def main():
    ns = cargar_cuaderno()
    trabajos = plan(ns)
    coste_lote = medir_coste_lote(ns)
    redes = medir_redes(trabajos)
    por_caso = {caso: costes(ns, trabajos, redes, coste_lote, caso) for caso in ("bajo", "probable", "alto")}
    print(__doc__.split("\n\n")[0])
    print(f"Modo {'rápido' if ns['RAPIDO'] else 'completo'}. Costes del anfitrión medidos aquí (por lote, imagen o figura) "
          f"({os.cpu_count()} núcleos): " + ", ".join(f"{k} {1000 * v:.2f} ms" for k, v in coste_lote.items()))
    print("\nConstantes (optimista / probable / pesimista):")
    for nombre, k in CONSTANTES.items():
        print(f"  {nombre:26s} {k.optimista:10.3g} {k.probable:10.3g} {k.pesimista:10.3g}  {k.unidad} — {k.fuente}")
    totales = {caso: 0.0 for caso in por_caso}
    for parte in PARTES:
        filas = [(i, t) for i, t in enumerate(trabajos) if t.parte == parte]
        if not filas:
            continue
        print(f"\n{parte}" + (f" (objetivo {OBJETIVO[parte]} s)" if parte in OBJETIVO else ""))
        print(f"  {'trabajo':44s} {'red':>10s} {'MMAC':>7s} {'prec.':>5s} {'imág.':>6s} {'ép.×n':>6s} {'lote':>5s} "
              f"{'pasos':>7s} {'bajo':>7s} {'probable':>9s} {'alto':>7s}")
        suma = {caso: 0.0 for caso in por_caso}
        for i, t in filas:
            segundos = {caso: por_caso[caso][i][1] for caso in por_caso}
            for caso in suma:
                suma[caso] += segundos[caso]
            pasos = t.pasos if isinstance(t, Entrenamiento) else ""
            red = redes.get(id(getattr(t, "red", None)))
            datos = (f"{red.nombre[:10]:>10s} {red.mac / 1e6:7.1f} {'fp16' if red.bytes_valor == 2 else 'fp32':>5s} "
                     if red else " " * 25)
            datos += (f"{t.n:6d} {f'{t.epocas}×{t.veces}':>6s} {t.lote:5d} " if isinstance(t, Entrenamiento) else
                      f"{t.n:6d} {'':6s} {'':5s} " if isinstance(t, Prediccion) else " " * 20)
            print(f"  {t.nombre[:44]:44s} {datos}{pasos:>7} {segundos['bajo']:7.1f} {segundos['probable']:9.1f} "
                  f"{segundos['alto']:7.1f}")
        print(f"  {'suma de la parte':44s} {'':45s} {'':>7s} {suma['bajo']:7.0f} {suma['probable']:9.0f} {suma['alto']:7.0f}")
        for caso in totales:
            totales[caso] += suma[caso]
    print("\nEs una estimación: se recalibra con la tabla «Presupuesto de tiempo» de una ejecución real en una T4.")
    print(f"total probable: {totales['probable']:.0f} s (bajo {totales['bajo']:.0f} s, alto {totales['alto']:.0f} s)")



def pasos_rapido():
    """Pasos por parte que predice el plan en modo rápido (el de las pruebas)."""
    return pasos_por_parte(plan_rapido())


def entrenamientos_rapido():
    """Llamadas a `fit` que predice el plan en modo rápido (una por entrenamiento y repetición)."""
    return sum(t.veces for t in plan_rapido() if isinstance(t, Entrenamiento))


def plan_rapido():
    """El plan del cuaderno en modo rápido (el de las pruebas)."""
    anterior = os.environ.get("PRACTICA3_RAPIDO")
    os.environ["PRACTICA3_RAPIDO"] = "1"
    try:
        return plan(cargar_cuaderno())
    finally:
        if anterior is None:
            del os.environ["PRACTICA3_RAPIDO"]
        else:
            os.environ["PRACTICA3_RAPIDO"] = anterior


def diferencias_pasos(predichos, contados):
    """Partes en las que los pasos del plan no son los que contó el cuaderno: {parte: (plan, cuaderno)}."""
    partes = set(predichos) | {p for p, n in contados.items() if n}
    return {p: (predichos.get(p, 0), contados.get(p, 0)) for p in sorted(partes)
            if predichos.get(p, 0) != contados.get(p, 0)}


if __name__ == "__main__":
    main()
