"""Piezas del Ejercicio 2 que el cuaderno no comprueba en línea: la capa `Corromper` (el ruido de entrenamiento,
generado en el acelerador, y el fijo de validación y test, `ruido_fijo`), `ssim_por_imagen` (la SSIM de
scikit-image, para muchas imágenes a la vez), `metricas_imagen` (medias por imagen) y la U-Net sin parada temprana."""

import numpy as np
import pytest
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

from tests import presupuesto_t4 as pt


@pytest.fixture(scope="module")
def ns():
    return pt.cargar_cuaderno()


def prendas_sinteticas(n=37):
    """Generador e imágenes (n, 28, 28) en [0, 1] con ruido, zonas planas y bordes, como las prendas de Fashion-MNIST."""
    rng = np.random.default_rng(0)
    limpias = np.clip(rng.normal(0.4, 0.3, (n, 28, 28)), 0, 1).astype("float32")
    limpias[:, 5:20, 8:18] = 0.9
    return rng, limpias


def test_ssim_por_imagen_es_la_de_scikit_image(ns):
    """Mismos valores que structural_similarity imagen a imagen (la ventana no cruza de una imagen a otra)."""
    rng, limpias = prendas_sinteticas()
    ruidosas = np.clip(limpias + 0.2 * rng.standard_normal(limpias.shape), 0, 1).astype("float32")
    referencia = [structural_similarity(a, b, data_range=1.0) for a, b in zip(limpias, ruidosas)]
    np.testing.assert_allclose(ns["ssim_por_imagen"](limpias, ruidosas), referencia, rtol=0, atol=1e-6)
    assert np.allclose(ns["ssim_por_imagen"](limpias, limpias), 1.0)


def test_metricas_imagen_son_medias_por_imagen(ns):
    """PSNR y SSIM son medias de los valores de cada imagen (scikit-image), no el valor del conjunto agrupado: con
    imágenes de ruido muy distinto, el PSNR del MSE medio difiere del PSNR medio."""
    rng, limpias = prendas_sinteticas()
    niveles = np.linspace(0.02, 0.4, len(limpias))[:, None, None]
    ruidosas = np.clip(limpias + niveles * rng.standard_normal(limpias.shape), 0, 1).astype("float32")
    m = ns["metricas_imagen"](limpias[..., None], ruidosas[..., None])
    psnr = [peak_signal_noise_ratio(a, b, data_range=1.0) for a, b in zip(limpias, ruidosas)]
    ssim = [structural_similarity(a, b, data_range=1.0) for a, b in zip(limpias, ruidosas)]
    np.testing.assert_allclose([m["PSNR (dB)"], m["PSNR desv."], m["SSIM"], m["SSIM desv."]],
                               [np.mean(psnr), np.std(psnr), np.mean(ssim), np.std(ssim)], rtol=1e-5)
    agrupado = 10 * np.log10(1 / np.mean((limpias - ruidosas) ** 2))
    assert abs(m["PSNR (dB)"] - agrupado) > 1  # la media por imagen no es el PSNR agrupado
    iguales = ns["metricas_imagen"](limpias[..., None], limpias[..., None])
    assert iguales["MSE"] == 0 and np.isclose(iguales["SSIM"], 1.0) and "SSIM" not in ns["metricas_imagen"](
        limpias[..., None], ruidosas[..., None], ssim=False)


def test_corromper_solo_al_entrenar(ns):
    """En inferencia deja la imagen como está; al entrenar, ruido gaussiano de σ = nivel, distinto en cada lote."""
    keras, nivel = ns["keras"], 0.2
    x = np.full((64, 28, 28, 1), 0.5, "float32")
    capa = ns["Corromper"](nivel)
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(capa(x, training=False)), x)
    primero, segundo = (keras.ops.convert_to_numpy(capa(x, training=True)) for _ in range(2))
    assert not np.array_equal(primero, segundo) and primero.min() >= 0 and primero.max() <= 1
    assert abs(primero.std() - nivel) < 0.01 and abs(primero.mean() - 0.5) < 0.01


def test_ruido_fijo_es_reproducible_y_recortado(ns):
    """El ruido de validación y de test: el mismo con la misma semilla, otro con otra, siempre en [0, 1]."""
    x = np.random.default_rng(0).random((200, 28, 28, 1)).astype("float32")
    a, b, c = ns["ruido_fijo"](x, 0.3, 7), ns["ruido_fijo"](x, 0.3, 7), ns["ruido_fijo"](x, 0.3, 8)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c) and a.min() >= 0 and a.max() <= 1
    interior = (x > 0.05) & (x < 0.95)  # píxeles a los que el recorte apenas afecta… en la mayoría de sorteos
    assert 0.2 < (a - x)[interior].std() < 0.3


def test_tabla_de_la_unet_casa_con_la_red(ns):
    """La tabla de bloques de la U-Net (texto del experimento d) suma los parámetros que tiene la red construida."""
    import re

    from tests.cuaderno import filas_markdown, leer

    texto = next(c.source for c in leer().cells if c.cell_type == "markdown" and "#### d. Una arquitectura" in c.source)
    filas = filas_markdown(texto)
    numero = lambda celda: int(re.sub(r"\D", "", celda))
    bloques, total = [numero(f[-1]) for f in filas if "total" not in f[0]], numero(filas[-1][-1])
    assert sum(bloques) == total == ns["crear_unet_residual"](ns["AE_MEJORADO_FILTROS"]).count_params()


def test_la_unet_entrena_todas_sus_epocas(ns):
    """La U-Net entrena sus AE_MEJORADO_EPOCAS épocas: su tasa decae en coseno hasta 0 y la parada temprana de los
    demás autoencoders (paciencia AE_PACIENCIA) podría cortarla a mitad (le pasó a una variante a escala completa:
    paró en la época 11 de 30). La celda de la U-Net pide `paciencia=None` y `entrenar_ae` se lo pasa a `entrenar`."""
    import ast

    from tests.cuaderno import leer

    llamadas = [n for c in leer().cells if c.cell_type == "code" for n in ast.walk(ast.parse(c.source))
                if isinstance(n, ast.Call) and getattr(n.func, "id", None) == "entrenar_ae"
                and getattr(n.args[0], "id", None) == "ae_mejorado"]
    assert len(llamadas) == 1, "una sola llamada que entrena la U-Net"
    paciencia = {k.arg: k.value for k in llamadas[0].keywords}.get("paciencia")
    assert isinstance(paciencia, ast.Constant) and paciencia.value is None, "la U-Net no debe usar parada temprana"
    recibidos = []
    espacio = {**ns, "entrenar": lambda *a, **k: recibidos.append((a, k)), "xm_ent": np.zeros((4, 28, 28, 1), "float32"),
               "xm_val": np.zeros((2, 28, 28, 1), "float32"), "ruido_val": {ns["AE_SIGMA"]: np.zeros((2, 28, 28, 1))}}
    entrenar_ae = type(ns["entrenar_ae"])(ns["entrenar_ae"].__code__, espacio, "entrenar_ae", ns["entrenar_ae"].__defaults__)
    for pedida in (None, 2):
        entrenar_ae(ns["crear_ae"](), 1, paciencia=pedida)
        a, k = recibidos[-1]
        assert k.get("paciencia", a[6] if len(a) > 6 else "falta") == pedida
