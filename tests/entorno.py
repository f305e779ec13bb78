"""Plugin de pytest (activado en pytest.ini con ``-p tests.entorno``).

Prepara el entorno que heredan los kernels que arrancan nbval y las pruebas:

* ``PRACTICA3_RAPIDO=1``: las pruebas ejecutan siempre el modo rápido, lo decide esta
  configuración y no el usuario.
* ``IPYTHONDIR`` apunta a una carpeta temporal con el arranque
  ``tests/ipython_inicio/00_datos_offline.py``, que sirve ``keras.datasets`` desde
  ``PRACTICA3_DATOS`` cuando esa variable existe, y ``01_figuras.py``, que hace fallar la
  celda que muestra una figura sin título o con un eje sin rotular (en una carpeta temporal,
  para que el historial de IPython no se escriba dentro del repositorio).
* ``MPLBACKEND=Agg``: las figuras se dibujan sin pantalla.

También guarda las salidas de cada celda que ejecuta nbval, para que la prueba de
reproducibilidad compare esa ejecución con otra sin repetir una tercera.
"""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent
ARRANQUE = Path(__file__).resolve().parent / "ipython_inicio"

# Salidas de la ejecución de nbval: lista de (índice de celda, salidas).
SALIDAS_NBVAL = []


def preparar_ipythondir(destino):
    """Crea en ``destino`` un perfil de IPython cuyo arranque sirve los datos offline."""
    startup = Path(destino) / "profile_default" / "startup"
    startup.mkdir(parents=True, exist_ok=True)
    for fichero in ARRANQUE.glob("*.py"):
        shutil.copy(fichero, startup / fichero.name)
    return str(destino)


def entorno_kernel(base=None):
    """Variables de entorno con las que se ejecuta el cuaderno en las pruebas."""
    env = dict(os.environ if base is None else base)
    env["PRACTICA3_RAPIDO"] = "1"
    env["MPLBACKEND"] = "Agg"
    env["PYTHONHASHSEED"] = "0"
    env["TF_CPP_MIN_LOG_LEVEL"] = "2"
    if env.get("PRACTICA3_DATOS"):
        env["PRACTICA3_DATOS"] = str(Path(env["PRACTICA3_DATOS"]).resolve())
    return env


_ipython_tmp = tempfile.mkdtemp(prefix="practica3-ipython-")
atexit.register(shutil.rmtree, _ipython_tmp, ignore_errors=True)
os.environ.update(entorno_kernel())
os.environ["IPYTHONDIR"] = preparar_ipythondir(_ipython_tmp)


def pytest_runtest_makereport(item, call):
    """Tras cada celda que ejecuta nbval, guarda sus salidas."""
    if call.when == "call" and type(item).__name__ == "IPyNbCell":
        salidas = getattr(item, "test_outputs", None)
        if salidas is not None:
            SALIDAS_NBVAL.append((item.cell_num, salidas))
