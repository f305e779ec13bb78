"""El modelo de coste en una T4 (``tests/presupuesto_t4.py``) describe los entrenamientos que el cuaderno hace.

En modo rápido, los pasos de optimización por parte que predice su plan deben ser los que el propio cuaderno
cuenta (``PASOS_PARTES``, que suma ``entrenar`` y muestra la tabla «Presupuesto de tiempo»); esa comparación
está en ``tests/test_ejecucion.py``, que ya tiene el cuaderno ejecutado. Aquí, que un entrenamiento añadido al
cuaderno sin actualizar el modelo se detecta, y las MAC que cuenta el modelo.
"""

import pytest

from tests import presupuesto_t4 as pt
from tests.cuaderno import ejecutar_celdas


@pytest.fixture(scope="module")
def plan_rapido():
    return pt.pasos_rapido()


OTRO_FIT = """
_diminuta = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3, activation="softmax")], name="diminuta")
_diminuta.compile(optimizer="adam", loss="sparse_categorical_crossentropy", steps_per_execution=PASOS_POR_EJECUCION)
entrenar(_diminuta, np.random.rand(64, 2).astype("float32"), np.arange(64) % 3, None, 1, 32)
"""


def test_un_entrenamiento_sin_modelo_se_detecta(plan_rapido, monkeypatch):
    """Se añade al cuaderno un entrenamiento (64 ejemplos en lotes de 32, tras definir `entrenar`) sin tocar el
    modelo: la diferencia aparece en su parte, con los dos pasos que `entrenar` cuenta."""
    monkeypatch.setenv("PRACTICA3_RAPIDO", "1")
    cambiar = lambda fuente: fuente + OTRO_FIT if "def entrenar(" in fuente else fuente
    contados = ejecutar_celdas("def entrenar(", cambiar=cambiar)["PASOS_PARTES"]
    predichos = {"Configuración": plan_rapido.get("Configuración", 0)}
    assert pt.diferencias_pasos(predichos, {"Configuración": contados["Configuración"]}) == {"Configuración": (0, 2)}
    sin_cambio = ejecutar_celdas("def entrenar(")["PASOS_PARTES"]
    assert pt.diferencias_pasos(predichos, {"Configuración": sin_cambio["Configuración"]}) == {}


def test_mediana_epoca_sin_la_primera():
    espacio = ejecutar_celdas("def mediana_epoca")
    assert espacio["mediana_epoca"]([9.0, 1.0, 2.0, 3.0]) == 2.0 and espacio["mediana_epoca"]([9.0]) == 9.0


def test_diferencias_pasos():
    assert pt.diferencias_pasos({"a": 3, "b": 2}, {"a": 3, "b": 2, "fin": 0}) == {}
    assert pt.diferencias_pasos({"a": 3}, {"a": 3, "b": 5}) == {"b": (0, 5)}
    assert pt.diferencias_pasos({"a": 3, "c": 1}, {"a": 4}) == {"a": (3, 4), "c": (1, 0)}


def test_mac_de_la_lenet():
    """Las MAC por imagen que cuenta el modelo, a mano: conv1 28·28·32·9, conv2 10·10·16·(5·5·32), densas."""
    ns = pt.cargar_cuaderno()
    red = pt.medir_red(ns["crear_lenet"]())
    assert red.mac == 28 * 28 * 32 * 9 + 10 * 10 * 16 * 5 * 5 * 32 + 400 * 100 + 100 * 50 + 50 * 10
    assert red.bytes_valor == 4 and red.capas == 8


def test_entrenar_imprime_una_linea(capsys, monkeypatch):
    """`entrenar` imprime una línea por entrenamiento, no una por época (con verbose=2 serían 3 aquí)."""
    monkeypatch.setenv("PRACTICA3_RAPIDO", "1")
    espacio = ejecutar_celdas("def entrenar")
    keras, np = espacio["keras"], espacio["np"]
    modelo = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3, activation="softmax")], name="diminuta")
    modelo.compile(optimizer="adam", loss="sparse_categorical_crossentropy", steps_per_execution=4)
    capsys.readouterr()
    espacio["entrenar"](modelo, np.random.rand(64, 2).astype("float32"), np.arange(64) % 3,
                        (np.random.rand(8, 2).astype("float32"), np.arange(8) % 3), 3, 32)
    lineas = capsys.readouterr().out.splitlines()
    assert len(lineas) == 1 and lineas[0].startswith("diminuta: 3 épocas, ") and "val_loss" in lineas[0], lineas
