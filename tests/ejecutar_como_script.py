"""Ejecuta las celdas de código de ``practica3.ipynb`` como un script, sin Jupyter.

Sirve para la máquina con GPU que se presta a veces (tiene JAX pero no Jupyter ni
TensorFlow) y para depurar deprisa. Si ``PRACTICA3_DATOS`` está definida, antes de las
celdas ejecuta el mismo arranque que usan las pruebas (``tests/ipython_inicio``).
Imprime el tiempo de cada celda; las figuras se dibujan con Agg y se descartan.

Con ``PRACTICA3_PARTES`` (nombres de ``marcar_parte`` separados por comas, p. ej.
``"Ejercicio 1.1,Ejercicio 1.2"``) solo se ejecutan la configuración y esas partes, para medir
una parte sin esperar a las demás (cada parte debe tener ya definidas las que usa).

Uso: ``python tests/ejecutar_como_script.py [practica3.ipynb]``
"""

import json
import re
import os
import sys
import time
import types
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

RAIZ = Path(__file__).resolve().parent.parent


def _display(*objetos, **_):
    for objeto in objetos:
        datos = getattr(objeto, "data", objeto)  # un Styler de pandas guarda su DataFrame en .data
        print(datos.to_string() if hasattr(datos, "to_string") else objeto)


def instalar_ipython_minimo():
    """Sin kernel no hay quien muestre HTML: ``IPython.display.display`` imprime texto (y ``Markdown``
    queda como el texto tal cual). Si IPython no está instalado, se ofrece un módulo mínimo."""
    try:
        import IPython.display as modulo
    except ImportError:
        modulo = types.ModuleType("IPython.display")
        sys.modules["IPython"] = types.ModuleType("IPython")
        sys.modules["IPython"].get_ipython = lambda: None  # matplotlib consulta estos dos atributos
        sys.modules["IPython"].version_info = (9, 0)
        sys.modules["IPython.display"] = modulo
    modulo.display, modulo.Markdown = _display, str


def arrancar():
    """IPython mínimo y, si ``PRACTICA3_DATOS`` está definida, el arranque de las pruebas (datos sin red)."""
    instalar_ipython_minimo()
    if os.environ.get("PRACTICA3_DATOS"):
        for arranque in sorted((RAIZ / "tests" / "ipython_inicio").glob("*.py")):
            exec(compile(arranque.read_text(), str(arranque), "exec"), {"__name__": "arranque"})


def celdas_elegidas(ruta=RAIZ / "practica3.ipynb"):
    """(índice, parte, código) de cada celda de código de las partes de ``PRACTICA3_PARTES`` (todas si no está)."""
    celdas = [c for c in json.loads(Path(ruta).read_text())["cells"] if c["cell_type"] == "code"]
    partes = os.environ.get("PRACTICA3_PARTES")
    partes = None if not partes else {p.strip() for p in partes.split(",")} | {"Configuración"}
    parte = "Configuración"
    for i, celda in enumerate(celdas):
        codigo = "".join(celda["source"])
        marca = re.search(r'^marcar_parte\("([^"]+)"\)', codigo, re.M)
        parte = marca.group(1) if marca else parte
        if partes is None or parte in partes:
            yield i, parte, codigo


def ejecutar_celda(i, codigo, espacio):
    """Ejecuta una celda en `espacio`, cierra sus figuras y devuelve los segundos que tardó."""
    inicio = time.perf_counter()
    exec(compile(codigo, f"<celda {i}>", "exec"), espacio)
    plt.close("all")
    return time.perf_counter() - inicio


def main(ruta=RAIZ / "practica3.ipynb"):
    arrancar()
    espacio = {"__name__": "__main__", "display": _display}
    inicio_total = time.perf_counter()
    for i, _, codigo in celdas_elegidas(ruta):
        segundos = ejecutar_celda(i, codigo, espacio)
        print(f"[celda {i}: {segundos:.1f} s] {codigo.splitlines()[0][:60] if codigo else ''}", flush=True)
    print(f"[total: {time.perf_counter() - inicio_total:.1f} s]")


if __name__ == "__main__":
    main(*sys.argv[1:])
