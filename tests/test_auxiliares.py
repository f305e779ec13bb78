"""Funciones auxiliares comunes del cuaderno, con las comprobaciones que antes hacía el propio cuaderno
(el lector no las necesita): formato español de los números, datos, lotes aumentados y evaluación."""

import numpy as np
import pytest

from tests.cuaderno import ejecutar_celdas, ejecutar_definiciones


@pytest.fixture(scope="module")
def e():
    import os
    anterior = os.environ.get("PRACTICA3_RAPIDO")
    os.environ["PRACTICA3_RAPIDO"] = "1"
    try:
        return ejecutar_celdas("class LotesAumentados", tambien=("def evaluar_clasificador",))
    finally:
        os.environ.pop("PRACTICA3_RAPIDO") if anterior is None else os.environ.update(PRACTICA3_RAPIDO=anterior)


def test_imprimir_y_mostrar_tabla_a_la_espanola(e, capsys):
    import pandas as pd
    e["imprimir"]("exactitud", 0.9928, "con", 54000, "imágenes")
    assert capsys.readouterr().out == "exactitud 0,9928 con 54\xa0000 imágenes\n"
    mostrados = []
    e["display"] = mostrados.append  # la celda usa el display del espacio de nombres
    e["mostrar_tabla"](pd.DataFrame({"a": [0.12345], "b": [384828]}), {"a": "{:.3f}"})
    html = mostrados[0].to_html()
    assert ">0,123<" in html and ">384\xa0828<" in html


def test_formato_es(e):
    assert e["formato_es"]("Ejercicio 1.3: 98.25 % con 467873 parámetros y 3217 ms (p = 0.031)") == \
        "Ejercicio 1.3: 98,25 % con 467\xa0873 parámetros y 3217 ms (p = 0,031)"
    assert e["formato_es"]("x (60000, 28, 28) y 12345.6 s; 0.123456") == "x (60\xa0000, 28, 28) y 12\xa0345,6 s; 0,123456"
    # signo menos tipográfico en los negativos, no en guiones entre cifras o letras (fechas, rangos, nombres)
    assert e["formato_es"]("-0.25 dB (-3), Δ = -12345; 2026-12-07, 1-2, U-Net") == \
        "−0,25 dB (−3), Δ = −12\xa0345; 2026-12-07, 1-2, U-Net"


def test_datos(e):
    x, y = np.arange(40).reshape(20, 2), np.repeat([0, 1], 10)
    _, y_sub = e["submuestra_estratificada"](x, y, 6)
    assert sorted(y_sub.tolist()) == [0, 0, 0, 1, 1, 1]
    gris = e["preparar_gris"](np.full((1, 28, 28), 255, np.uint8))
    assert gris.shape == (1, 28, 28, 1) and gris.dtype == np.float32 and gris.max() == 1.0


def test_anadir_resultado(e):
    antes = len(e["resumen"])
    e["anadir_resultado"]("demo", "ejemplo", "exactitud (%)", 99.0, 1, 0.1)
    assert len(e["resumen"]) == antes + 1 and e["resumen"].iloc[-1]["valor"] == 99.0
    # sin parámetros ni segundos: NaN («—» en la tabla), no None, que hace avisar a pandas 2.2 (FutureWarning)
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        e["anadir_resultado"]("demo", "sin entrenamiento", "PSNR (dB)", 18.5)
    fila = e["resumen"].iloc[-1]
    assert fila["parámetros"] is not None and np.isnan(fila["parámetros"]) and np.isnan(fila["segundos"])


def recortes(imagen):
    """Los 9 × 2 recortes 4×4 posibles (traslación de ±1 px y espejo) de una imagen 4×4 rellenada con ceros."""
    relleno = np.pad(imagen, ((1, 1), (1, 1), (0, 0)))
    return [relleno[a:a + 4, b:b + 4][:, ::v] for a in range(3) for b in range(3) for v in (1, -1)]


def test_lotes_aumentados(e):
    x = np.arange(2 * 4 * 4, dtype="float32").reshape(2, 4, 4, 1)
    sin_aumento = e["LotesAumentados"](x, np.arange(2), 2)
    np.testing.assert_array_equal(sin_aumento[0][0], x[sin_aumento.orden])  # sin aumento, tal cual
    con_aumento = e["LotesAumentados"](x, np.arange(2), 2, relleno=1, voltear=True)
    lote = con_aumento[0][0]
    assert all(any(np.array_equal(im, r) for r in recortes(x[j])) for im, j in zip(lote, con_aumento.orden))
    alterno, lados = e["LotesAumentados"](x, np.arange(2), 2, voltear="alterno"), []
    for _ in range(3):  # el lote entero de cada época, ordenado por imagen
        lote_x, lote_y = alterno[0]
        lados.append([np.array_equal(lote_x[list(lote_y).index(j)], x[j, :, ::-1]) for j in range(2)])
        alterno.on_epoch_end()
    assert all(a != b for ep in range(2) for a, b in zip(lados[ep], lados[ep + 1]))  # cambia de lado cada época


def test_evaluar_clasificador_dibuja_y_resume(e, capsys):
    import matplotlib.pyplot as plt
    antes = len(plt.get_fignums())
    e["evaluar_clasificador"](np.array([0, 1, 1, 0]), np.array([0, 1, 0, 0]), ["gato", "perro"], "Ejemplo")
    informe = capsys.readouterr().out
    assert "gato" in informe and "perro" in informe and "0,7500" in informe  # exactitud 3/4, con coma decimal
    assert len(plt.get_fignums()) == antes + 1  # la matriz de confusión


@pytest.mark.parametrize("rapido, gpu, aviso", [("0", None, True), ("0", "Tesla T4", False), ("1", None, False)])
def test_aviso_sin_gpu_en_modo_completo(rapido, gpu, aviso, monkeypatch, capsys):
    """Sin GPU y en modo completo, la configuración avisa de la duración en CPU y sigue (sin error ni pregunta);
    con GPU, o en modo rápido, no avisa."""
    monkeypatch.setenv("PRACTICA3_RAPIDO", rapido)
    espacio = ejecutar_celdas("MODO_RAPIDO = {", cambiar=lambda f: f.replace('print(f"GPU detectada', f'GPU = {gpu!r}\nprint(f"GPU detectada'))
    salida = capsys.readouterr().out
    assert ("SIN GPU" in salida and "HORAS" in salida and "T4" in salida) == aviso, salida
    assert espacio["RAPIDO"] == (rapido == "1")


def test_veredicto_sus_tres_ramas_y_el_empate():
    """`veredicto` (1.1, 1.2 y las ablaciones): confirma, no contradice o contradice según la ventaja de la mejor
    alternativa frente al error típico de la diferencia; con exactitudes iguales, también tras el redondeo de la coma
    flotante (0,1 + 0,2 frente a 0,3), dice que empata y confirma (antes: «queda 0,00 puntos por debajo»)."""
    import pandas as pd
    v = ejecutar_definiciones(ejecutar_celdas("def formato_es"), {"veredicto"})["veredicto"]  # sin la comprobación de 1.1
    frase = lambda exactitudes: v(pd.Series(exactitudes), "fijado", 5000)  # error típico: unos 0,2 puntos con p = 0,99
    assert "«a», queda 1.00 puntos por debajo" in frase({"fijado": 0.99, "a": 0.98}) and "**confirma**" in frase(
        {"fijado": 0.99, "a": 0.98})
    assert "supera a la elección fijada en 0.10 puntos" in frase({"fijado": 0.99, "a": 0.991})
    assert "**no contradice**" in frase({"fijado": 0.99, "a": 0.991})
    contradice = v(pd.Series({"fijado": 0.99, "a": 0.995}), "fijado", 5000, "la validación cruzada previa")
    assert "**la contradice**" in contradice and "la fijó la validación cruzada previa" in contradice
    for empate in ({"fijado": 0.99, "a": 0.99, "b": 0.98}, {"fijado": 0.3, "a": 0.1 + 0.2}):
        assert "empata con la elección fijada" in frase(empate) and "**confirma**" in frase(empate), frase(empate)
