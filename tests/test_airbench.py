"""El optimizador de airbench94 del cuaderno (``SGDAirbench``) hace lo que dice su texto, paso a paso.

Con una red lineal diminuta y un lote fijo, en CPU y float32:
- el promedio de pesos sigue a los pesos hasta su primer paso, después solo cambia cada ``cada`` pasos, y
  en esos pasos los pesos se sustituyen por la media (ρ > 0: la media no es los pesos sin promediar);
- el sesgo de la capa ``sesgo_blanqueo`` deja de recibir gradiente tras sus épocas: desde entonces solo lo
  mueve la inercia de Nesterov, que decae con el factor del momento en cada paso;
- la tasa sigue el programa triangular.
"""

import re

import keras
import numpy as np
import pytest

from tests.test_precision_mixta import cargar


@pytest.fixture(scope="module")
def espacio():
    return cargar()


def red_diminuta(espacio):
    keras.utils.set_random_seed(0)  # la misma red inicial en cada llamada
    entrada = keras.Input((3,))
    x = keras.layers.Dense(2, use_bias=False)(entrada)
    return keras.Model(entrada, espacio["SesgoEscalado"](1.0, name="sesgo_blanqueo")(x))


def entrenar_pasos(espacio, promedio, pasos=40, por_epoca=4, epocas=10):
    red = red_diminuta(espacio)
    opt = espacio["SGDAirbench"](por_epoca, epocas, promedio)
    red.compile(optimizer=opt, loss=lambda y, p: 0.01 * keras.ops.mean((y - p) ** 2))  # curvatura baja: no diverge
    x, y = np.random.default_rng(0).normal(size=(8, 3)), np.random.default_rng(1).normal(size=(8, 2))
    pesos, medias, sesgos = [], [], []
    for _ in range(pasos):
        red.train_on_batch(x, y)
        pesos.append(keras.ops.convert_to_numpy(red.layers[1].kernel).copy())
        sesgos.append(keras.ops.convert_to_numpy(red.get_layer("sesgo_blanqueo").b).copy())
        if promedio:
            indice = opt._get_variable_index(red.layers[1].kernel)
            medias.append(keras.ops.convert_to_numpy(opt._model_variables_moving_average[indice]).copy())
    return opt, pesos, medias, sesgos


def test_promedio_de_pesos(espacio):
    opt, pesos, medias, _ = entrenar_pasos(espacio, promedio=True)
    desde, cada = opt.desde, opt.cada
    assert desde == 15  # época 3 de 4 pasos: empieza en el paso 13; primer múltiplo de 5, el 15
    for t in range(1, len(pesos) + 1):
        w, m = pesos[t - 1], medias[t - 1]
        if t <= desde or t % cada == 0:
            np.testing.assert_allclose(w, m, rtol=1e-6)  # la media sigue a los pesos o los sustituye
        else:
            np.testing.assert_array_equal(m, medias[t - 2])  # entre sustituciones la media no cambia
    # con ρ > 0 la sustitución retrocede: sin promedio, los pesos acaban en otro sitio
    _, libres, _, _ = entrenar_pasos(espacio, promedio=False)
    assert not np.allclose(libres[-1], pesos[-1], rtol=1e-3)
    np.testing.assert_allclose(libres[desde - 1], pesos[desde - 1], rtol=1e-6)  # idénticos hasta el inicio


def test_sesgo_de_blanqueo_congelado(espacio):
    opt, _, _, sesgos = entrenar_pasos(espacio, promedio=False)
    fin = opt.fin_blanqueo
    assert fin == 12  # 3 épocas de 4 pasos
    pasos = [np.abs(sesgos[t] - sesgos[t - 1]).max() for t in range(1, len(sesgos))]
    assert pasos[fin - 2] > 0  # antes, se entrena
    razones = [pasos[t + 1] / pasos[t] for t in range(fin, fin + 10)]
    np.testing.assert_allclose(razones, espacio["CIFAR_MOMENTO"], rtol=1e-3)  # después, solo la inercia


def test_programa_triangular(espacio):
    tasa = [float(keras.ops.convert_to_numpy(espacio["Triangulo"](100, 2.0)(p))) for p in (0, 23, 100)]
    inicio, _, fin = espacio["CIFAR_TRIANGULO"]
    np.testing.assert_allclose(tasa, [2.0 * inicio, 2.0, 2.0 * fin], rtol=1e-6)


def test_tabla_de_bloques_de_airbench(espacio):
    """La tabla de bloques del texto (1.3) casa con la red que construye el cuaderno: parámetros entrenables y
    fijos, y la forma de salida de cada bloque."""
    from tests.cuaderno import filas_markdown, leer
    texto = next(c.source for c in leer().cells if c.cell_type == "markdown" and "| bloque | capas | salida | parámetros |" in c.source
                 and "blanqueo" in c.source)
    filas = filas_markdown(texto)
    numero = lambda s: int(s.replace(" ", "").replace("\xa0", ""))
    fijos = sum(numero(f[3].split(" fijos")[0]) for f in filas if "fijos" in f[3])
    entrenables = sum(numero(f[3].split("+")[-1]) for f in filas)
    red = espacio["crear_airbench"]()
    assert entrenables == sum(int(np.prod(w.shape)) for w in red.trainable_weights)
    assert fijos == int(np.prod(red.get_layer("blanqueo").kernel.shape))
    formas = {"×".join(map(str, c.output.shape[1:])) for c in red.layers}
    assert {f[2] for f in filas} <= formas, {f[2] for f in filas} - formas
    total = re.search(r"En total, ([\d  ]+) parámetros \(([\d  ]+) fijos\); `summary\(\)` suma las ([\d  ]+) medias"
                      r" y varianzas móviles de BN: ([\d  ]+)\.", texto)
    assert total, "falta la frase del total bajo la tabla de bloques"
    assert [numero(g) for g in total.groups()] == [entrenables + fijos, fijos, red.count_params() - entrenables - fijos,
                                                   red.count_params()]
