"""El arranque de las pruebas sirve keras.datasets desde PRACTICA3_DATOS con las formas reales."""

import importlib.util
import os
import subprocess
import sys

import numpy as np
import pytest

from tests.entorno import ARRANQUE

DATOS = os.environ.get("PRACTICA3_DATOS")


def cargar_arranque():
    espec = importlib.util.spec_from_file_location("arranque_datos", ARRANQUE / "00_datos_offline.py")
    modulo = importlib.util.module_from_spec(espec)
    espec.loader.exec_module(modulo)
    return modulo


def comprobar(datos, n_ent, n_test, forma, y_columna):
    (x_ent, y_ent), (x_test, y_test) = datos
    assert x_ent.shape == (n_ent, *forma) and x_test.shape == (n_test, *forma)
    assert y_ent.shape == ((n_ent, 1) if y_columna else (n_ent,))
    assert y_test.shape == ((n_test, 1) if y_columna else (n_test,))
    assert x_ent.dtype == x_test.dtype == y_ent.dtype == y_test.dtype == np.uint8
    assert set(np.unique(y_ent)) == set(range(10)) and x_ent.max() > 200


@pytest.mark.skipif(not DATOS, reason="PRACTICA3_DATOS no está definida")
def test_cargadores_con_formas_reales():
    import keras

    cargar_arranque()
    comprobar(keras.datasets.mnist.load_data(), 8000, 2000, (28, 28), False)
    comprobar(keras.datasets.fashion_mnist.load_data(), 60000, 10000, (28, 28), False)
    comprobar(keras.datasets.cifar10.load_data(), 5000, 1000, (32, 32, 3), True)


def test_fichero_ausente_nombra_fichero_y_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("PRACTICA3_DATOS", str(tmp_path))
    arranque = cargar_arranque()
    with pytest.raises(FileNotFoundError, match=r"mnist\.npz.*PRACTICA3_DATOS"):
        arranque.cargar_mnist()
    with pytest.raises(FileNotFoundError, match=r"train-images-idx3-ubyte\.gz.*PRACTICA3_DATOS"):
        arranque.cargar_fashion_mnist()


def test_sin_variable_no_se_toca_nada():
    """Sin PRACTICA3_DATOS, los cargadores siguen siendo los de Keras (que descargan)."""
    env = {k: v for k, v in os.environ.items() if k != "PRACTICA3_DATOS"}
    programa = (f"import runpy; runpy.run_path({str(ARRANQUE / '00_datos_offline.py')!r}); import keras; "
                "print(keras.datasets.mnist.load_data.__module__, keras.datasets.cifar10.load_data.__module__)")
    salida = subprocess.run([sys.executable, "-c", programa], env=env, capture_output=True, text=True, check=True)
    assert salida.stdout.split() == ["keras.src.datasets.mnist", "keras.src.datasets.cifar10"]
