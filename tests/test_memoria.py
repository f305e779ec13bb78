"""La memoria del anfitrión no crece con cada `fit` sobre un PyDataset.

TensorFlow 2.20 y 2.21 conservan en el grafo global cada generador de ``tf.data.from_generator``, por el
que Keras pasa todo PyDataset: un ``fit`` sobre un ``LotesAumentados`` dejaría retenidos sus arrays para
siempre. ``entrenar`` vacía el PyDataset (``vars(x).clear()``) al terminar ``fit``: lo retenido ya no
sujeta los arrays. Aquí, en un proceso aparte, se hacen ``FITS`` entrenamientos con ``entrenar`` sobre conjuntos
de unos ``MB`` MB y se mide la RSS:
- con el cuaderno tal cual, el crecimiento tras el primer fit queda por debajo de ``COTA_MB``;
- con ``entrenar`` sin vaciarlo (como antes de arreglarlo), el mismo programa crece al menos
  ``COTA_MB`` si esta versión de TensorFlow tiene la fuga: la prueba se salta si no la tiene (el
  arreglo no hace falta), y así nunca pasa por no medir nada.
"""

import json
import os
import subprocess
import sys

import pytest

from tests.cuaderno import leer
from tests.entorno import RAIZ

FITS, MB, COTA_MB = 6, 200, 300  # fuga esperada: (FITS − 1) × MB = 1000 MB
ARREGLO = "vars(x).clear()"  # la línea de `entrenar` que suelta los arrays; la variante sin ella la quita

PROGRAMA = f"""
import gc, json, sys
import numpy as np, psutil
sys.path.insert(0, {str(RAIZ)!r})
from tests.cuaderno import ejecutar_celdas
quitar = sys.argv[1] == "sin_arreglo"
ARREGLO = {ARREGLO!r}
e = ejecutar_celdas("class LotesAumentados", cambiar=lambda f: f.replace(ARREGLO, "pass") if quitar else f)
keras = e["keras"]
n = {MB} * 2**20 // (32 * 32 * 3 * 4)
rss = []
for i in range({FITS}):
    x = np.random.default_rng(i).random((n, 32, 32, 3), dtype=np.float32)
    lotes = e["LotesAumentados"](x, np.arange(n) % 10, 4096)  # guarda su copia (rellenada) de x
    modelo = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.GlobalAveragePooling2D(),
                               keras.layers.Dense(10, activation="softmax")])
    modelo.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    e["entrenar"](modelo, lotes, None, None, 1, 4096)
    del x, lotes, modelo
    gc.collect()
    rss.append(psutil.Process().memory_info().rss / 2**20)
print("RSS_MB", json.dumps(rss))
"""


def crecimiento_mb(variante):
    """RSS (MB) tras cada fit, ejecutando PROGRAMA con el cuaderno tal cual o sin el arreglo."""
    salida = subprocess.run([sys.executable, "-c", PROGRAMA, variante], capture_output=True, text=True,
                            cwd=RAIZ, env={**os.environ, "PRACTICA3_RAPIDO": "1"}, timeout=600)
    assert salida.returncode == 0, salida.stderr[-3000:]
    rss = json.loads(next(l for l in salida.stdout.splitlines() if l.startswith("RSS_MB")).split(" ", 1)[1])
    return rss[-1] - rss[0], rss


def test_entrenar_contiene_el_arreglo():
    """La variante «sin arreglo» quita ARREGLO de `entrenar`: si el texto cambiase, las dos variantes serían la misma."""
    assert any("def entrenar(" in c.source and ARREGLO in c.source for c in leer().cells if c.cell_type == "code")


def test_fits_sobre_pydataset_no_retienen_sus_arrays():
    sin_arreglo, rss_viejo = crecimiento_mb("sin_arreglo")
    if sin_arreglo < COTA_MB:
        pytest.skip(f"este TensorFlow no retiene los generadores (crecimiento {sin_arreglo:.0f} MB sin el "
                    f"arreglo, RSS {rss_viejo}): no hay fuga que evitar")
    crecimiento, rss = crecimiento_mb("cuaderno")
    assert crecimiento < COTA_MB, f"la RSS crece {crecimiento:.0f} MB en {FITS - 1} fits: {rss}"
    print(f"RSS tras cada fit (MB): sin el arreglo {[round(r) for r in rss_viejo]}, "
          f"con él {[round(r) for r in rss]}")
