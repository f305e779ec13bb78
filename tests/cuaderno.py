"""Utilidades de las pruebas: leer el cuaderno, ejecutarlo aislado y extraer números."""

import ast
import os
import re
import shutil
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from tests.entorno import RAIZ, entorno_kernel, preparar_ipythondir

CUADERNO = RAIZ / "practica3.ipynb"
# Líneas con tiempos: sus números cambian en cada ejecución y no cuentan para la reproducibilidad.
TIEMPO = re.compile(r"segundo|tiempo|minuto|\bm?s_|\(m?s[)/]|\bm?s (?:por|en total)|\bm?s/|/s\b|\d\s*m?s\b", re.I)
NUMERO = re.compile(r"[-+]?\d+(?:[.,]\d+)?(?:e[-+]?\d+)?")


def leer():
    return nbformat.read(CUADERNO, as_version=4)


def codigo(nb=None):
    """Todo el código del cuaderno, celda a celda separado por líneas en blanco."""
    return "\n\n".join(c.source for c in (nb or leer()).cells if c.cell_type == "code")


def texto(nb=None):
    """Todo el texto (markdown) del cuaderno, celda a celda separado por saltos de línea."""
    return "\n".join(c.source for c in (nb or leer()).cells if c.cell_type == "markdown")


def textos_de_salidas(salidas):
    """Texto de las salidas de una celda: primero todo stdout (nbval une los flujos y cambia su orden
    respecto a las figuras y tablas), después cada resultado o display (HTML, Markdown o texto)."""
    flujos, ricos = [], []
    for salida in salidas:
        if salida.get("output_type") == "stream" and salida.get("name") == "stdout":
            flujos.append(salida.get("text", ""))
        elif salida.get("output_type") in ("execute_result", "display_data"):
            datos = salida.get("data", {})
            html = re.sub(r"<style.*?</style>", "", datos.get("text/html") or "", flags=re.S)  # ids aleatorios
            # Del HTML solo interesan el texto y la estructura de las tablas (no los estilos).
            ricos.append(re.sub(r"<(?!/?(?:table|tr|td|th)\b)[^>]*>", "", html) if html else
                         datos.get("text/markdown") or datos.get("text/plain", ""))
    return "".join(flujos) + "\n" + "\n".join(ricos)


def filas_markdown(texto):
    """Filas de datos de las tablas Markdown de un texto, como listas de celdas: sin la cabecera (la primera línea
    de cada tabla) ni la línea separadora."""
    filas, anterior = [], ""
    for linea in texto.splitlines():
        if linea.startswith("|") and anterior.startswith("|") and not re.fullmatch(r"\|[-| :]+\|", linea):
            filas.append([celda.strip() for celda in linea.split("|")[1:-1]])
        anterior = linea
    return filas


def filas_tabla(html):
    """Filas de una tabla HTML como listas de textos de celda (la primera, la cabecera)."""
    return [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", f, re.S) for f in re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S)]


def _numeros_tabla(html):
    """Números de una tabla HTML sin las columnas de tiempos (reconocidas por su cabecera)."""
    filas = filas_tabla(html)
    if not filas:
        return []
    tiempo = {i for i, celda in enumerate(filas[0]) if TIEMPO.search(celda)}
    return [n for fila in filas for i, celda in enumerate(fila) if i not in tiempo for n in NUMERO.findall(celda)]


def numeros_impresos(texto):
    """Números impresos, salvo los de tiempos: se descartan las líneas que hablan de tiempos (las de
    `fit(verbose=2)` incluidas) y, en las tablas HTML, las columnas de tiempos."""
    numeros = []
    for tabla in re.findall(r"<table.*?</table>", texto, re.S):
        numeros += _numeros_tabla(tabla)
    resto = re.sub(r"<table.*?</table>", "\n", texto, flags=re.S)
    return numeros + [n for linea in resto.splitlines() if not TIEMPO.search(linea) for n in NUMERO.findall(linea)]


def ejecutar_aislado(timeout=1200):
    """Ejecuta una copia del repositorio en un arenero temporal; devuelve (nb ejecutado, arenero, ficheros antes)."""
    arenero = Path(tempfile.mkdtemp(prefix="practica3-arenero-"))
    repo = arenero / "repo"
    shutil.copytree(RAIZ, repo, ignore=shutil.ignore_patterns(".git", "__pycache__", ".venv", "venv*"))
    carpetas = {n: arenero / n for n in ("home", "tmp", "keras", "mpl", "ipython", "jupyter")}
    for carpeta in carpetas.values():
        carpeta.mkdir()
    env = entorno_kernel()
    env.update(HOME=str(carpetas["home"]), TMPDIR=str(carpetas["tmp"]), KERAS_HOME=str(carpetas["keras"]),
               MPLCONFIGDIR=str(carpetas["mpl"]), JUPYTER_RUNTIME_DIR=str(carpetas["jupyter"]),
               IPYTHONDIR=preparar_ipythondir(carpetas["ipython"]))
    antes = {p for p in repo.rglob("*")}
    nb = nbformat.read(repo / "practica3.ipynb", as_version=4)
    # El kernel hereda el entorno del proceso que lo arranca: se lanza desde un proceso con `env`.
    viejo = dict(os.environ)
    try:
        os.environ.clear()
        os.environ.update(env)
        NotebookClient(nb, timeout=timeout, kernel_name="python3",
                       resources={"metadata": {"path": str(repo)}}).execute()
    finally:
        os.environ.clear()
        os.environ.update(viejo)
    return nb, arenero, antes


def ficheros_nuevos(arenero, antes, permitidas=("keras", "mpl", "ipython", "jupyter")):
    """Ficheros creados en el arenero fuera de las carpetas permitidas (y fuera de lo que ya había)."""
    nuevos = []
    for p in arenero.rglob("*"):
        relativa = p.relative_to(arenero)
        if p.is_dir() or p in antes or relativa.parts[0] in permitidas:
            continue
        nuevos.append(str(relativa))
    return nuevos


def ejecutar_celdas(hasta, tambien=(), cambiar=lambda fuente: fuente):
    """Espacio de nombres tras ejecutar las celdas de código del principio hasta la que contiene `hasta`
    (incluida) y, después, las que contienen alguno de los textos de `tambien`, en su orden. El código de
    cada celda pasa antes por `cambiar` (para romperlo a propósito en las pruebas que lo piden)."""
    from tests import ejecutar_como_script as ecs

    ecs.instalar_ipython_minimo()
    celdas = [c.source for c in leer().cells if c.cell_type == "code"]
    fin = next((i for i, fuente in enumerate(celdas) if hasta in fuente), None)
    if fin is None:
        raise LookupError(f"ninguna celda del cuaderno contiene {hasta!r}")
    elegidas = celdas[:fin + 1] + [f for f in celdas[fin + 1:] if any(t in f for t in tambien)]
    faltan = [t for t in tambien if not any(t in f for f in elegidas)]
    if faltan:
        raise LookupError(f"ninguna celda del cuaderno contiene {faltan}")
    espacio = {"__name__": "__main__", "display": ecs._display}
    for fuente in elegidas:
        exec(compile(cambiar(fuente), "<celda>", "exec"), espacio)
    return espacio


def _define(nodo):
    """Nombre que define una sentencia de primer nivel (def, class o asignación a un solo nombre), o None."""
    if isinstance(nodo, (ast.FunctionDef, ast.ClassDef)):
        return nodo.name
    if isinstance(nodo, ast.Assign) and len(nodo.targets) == 1 and isinstance(nodo.targets[0], ast.Name):
        return nodo.targets[0].id
    return None


def ejecutar_definiciones(espacio, nombres, cambios=()):
    """Ejecuta en `espacio` solo las definiciones (def, class o asignación a un nombre) del cuaderno llamadas `nombres`,
    sin el resto de su celda, con los `cambios` (viejo, nuevo) aplicados a su código, y devuelve `espacio`. Falla si un
    cambio no está en el cuaderno (la prueba no rompería nada) o si falta alguna definición."""
    fuentes = [c.source for c in leer().cells if c.cell_type == "code"]
    definidas = set()
    for viejo, _ in cambios:
        if not any(viejo in f for f in fuentes):
            raise LookupError(f"el cuaderno ya no contiene {viejo!r}: la prueba no rompería nada")
    for fuente in fuentes:
        for nodo in ast.parse(fuente).body:
            if (nombre := _define(nodo)) in nombres:
                codigo = ast.get_source_segment(fuente, nodo)
                for viejo, nuevo in cambios:
                    codigo = codigo.replace(viejo, nuevo)
                exec(compile(codigo, nombre, "exec"), espacio)
                definidas.add(nombre)
    assert definidas == set(nombres), f"faltan en el cuaderno: {set(nombres) - definidas}"
    return espacio
