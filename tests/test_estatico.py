"""Comprobaciones estáticas del cuaderno tal como se registra en git (rápidas, sin ejecutarlo).

Cada regla es una función que devuelve la lista de infracciones; `test_las_reglas_detectan`
rompe cada regla a propósito sobre una copia del cuaderno y exige que la detecten, para que
ninguna de estas pruebas pueda pasar sin mirar.
"""

import copy
import re

import nbformat
import pytest

from tests.cuaderno import codigo, leer, texto as texto_de

ENCABEZADOS = ["# Práctica 3", "## Objetivos", "## Índice", "## Introducción", "## Configuración",
               "## Ejercicio 1.1", "## Ejercicio 1.2", "## Ejercicio 1.3", "## Ejercicio 2",
               "## Resumen de resultados", "## Presupuesto de tiempo", "## Conclusiones", "## Referencias"]
PROHIBIDO = {  # patrón en el código → por qué
    r"savefig": "guarda una figura en disco", r"\.save\(|save_weights|export\(": "guarda un modelo en disco",
    r"ModelCheckpoint|BackupAndRestore|CSVLogger|TensorBoard": "un callback que escribe en disco",
    r"plot_model": "plot_model escribe un fichero", r"np\.save|savez|\.tofile\(": "guarda arrays en disco",
    r"\.to_(csv|pickle|excel|parquet|json|hdf)\(": "guarda una tabla en disco",
    # Image.open(io.BytesIO(…)) decodifica en memoria las imágenes PNG de CIFAR-10: no abre ficheros
    r"(?<!Image\.)\bopen\(|write_text|write_bytes|pickle\.dump|joblib\.dump": "abre o escribe ficheros",
    r"\binput\(": "pide datos al usuario", r"^\s*[!%]\s*pip": "instala paquetes desde el cuaderno",
    r"tf\.keras|ImageDataGenerator": "API antigua: usar Keras 3",
    r"^\s*(from|import)\s+tests\b": "importa módulos del repositorio (el cuaderno debe ser autónomo)",
}
INSIGNIA = re.compile(r"\(https://colab\.research\.google\.com/github/[^/\s]+/[^/\s]+/blob/main/practica3\.ipynb\)")


def reglas_formato(nb):
    problemas = []
    if nb.nbformat != 4:
        problemas.append(f"nbformat {nb.nbformat}, se espera 4")
    if nb.metadata.get("kernelspec", {}).get("name") != "python3":
        problemas.append("kernelspec distinto de python3")
    # «Abrir en Colab» solo pide un entorno con GPU si los metadatos lo dicen
    if nb.metadata.get("accelerator") != "GPU" or nb.metadata.get("colab", {}).get("gpuType") != "T4":
        problemas.append("faltan los metadatos de Colab que piden una GPU T4 (accelerator, colab.gpuType)")
    for i, celda in enumerate(nb.cells):
        if celda.cell_type == "code" and (celda.get("outputs") or celda.get("execution_count") is not None):
            problemas.append(f"la celda {i} guarda salidas o contador de ejecución")
    return problemas


def reglas_codigo(nb):
    fuente = codigo(nb)
    return [f"{por_que} ({patron})" for patron, por_que in PROHIBIDO.items() if re.search(patron, fuente, re.M)]


MAX_LINEAS_CELDA = 25  # líneas no vacías por celda de código (la de configuración aparte)


def es_configuracion(fuente):
    """¿Es la celda de configuración (la única que define las constantes)?"""
    return "SEMILLA = " in fuente


def reglas_lectura(nb):
    """Celdas de código cortas y cada una precedida de texto (el porqué antes del código)."""
    problemas = []
    for i, celda in enumerate(nb.cells):
        if celda.cell_type != "code":
            continue
        lineas = sum(1 for linea in celda.source.splitlines() if linea.strip())
        if lineas > MAX_LINEAS_CELDA and not es_configuracion(celda.source):
            problemas.append(f"la celda {i} tiene {lineas} líneas de código (máximo {MAX_LINEAS_CELDA})")
        if i == 0 or nb.cells[i - 1].cell_type != "markdown":
            problemas.append(f"la celda de código {i} no va precedida de texto")
    return problemas


# Tiempo de lectura (issue 20): un corrector lee el cuaderno en 45 minutos o menos; los límites son los de la issue.
MAX_PALABRAS, MAX_LINEAS_CODIGO, MAX_FIGURAS = 6000, 1000, 12


def reglas_extension(nb):
    """Palabras de texto, líneas de código no vacías y figuras (llamadas que dibujan, fuera de las definiciones;
    las mismas que cuenta el modelo de coste) por debajo de sus límites."""
    from tests.presupuesto_t4 import figuras_por_parte

    palabras = sum(len(c.source.split()) for c in nb.cells if c.cell_type == "markdown")
    fuentes = [c.source for c in nb.cells if c.cell_type == "code"]
    lineas = sum(1 for f in fuentes for linea in f.splitlines() if linea.strip())
    figuras = sum(figuras_por_parte(fuentes).values())
    return ([f"{palabras} palabras de texto (máximo {MAX_PALABRAS})"] if palabras > MAX_PALABRAS else []) + \
        ([f"{lineas} líneas de código (máximo {MAX_LINEAS_CODIGO})"] if lineas > MAX_LINEAS_CODIGO else []) + \
        ([f"{figuras} figuras (máximo {MAX_FIGURAS})"] if figuras > MAX_FIGURAS else [])


MAX_PALABRAS_FRASE = 45  # issue 20: ninguna frase de más de 45 palabras
FIN_DE_FRASE = re.compile(r"(?<=[.!?])\s+(?=[«¿*(`A-ZÁÉÍÓÚÑ0-9])")


def reglas_frases(nb):
    """Frases del texto de más de MAX_PALABRAS_FRASE palabras. Una frase termina en «.», «!» o «?» seguidos de
    mayúscula, cifra o marca; las líneas de tabla, los encabezados y las anclas no cuentan, y cada línea (párrafo
    o viñeta) cierra la frase."""
    problemas = []
    for c in nb.cells:
        if c.cell_type != "markdown":
            continue
        for linea in c.source.splitlines():
            if linea.startswith(("|", "#", "<a")):
                continue
            for frase in FIN_DE_FRASE.split(re.sub(r"^\s*(?:[-*]|\d+\.)\s+", "", linea)):
                if len(frase.split()) > MAX_PALABRAS_FRASE:
                    problemas.append(f"frase de {len(frase.split())} palabras: {frase[:80]}…")
    return problemas


def reglas_texto(nb):
    texto = texto_de(nb)
    problemas = [f"falta el encabezado {e!r}" for e in ENCABEZADOS
                 if not re.search(rf"^{re.escape(e)}\b", texto, re.M)]
    if not INSIGNIA.search(texto):
        problemas.append("falta la insignia «Abrir en Colab»")
    return problemas


def _llamadas(fuente, metodo):
    """Texto de los argumentos de cada llamada `.metodo(...)` (paréntesis equilibrados)."""
    for m in re.finditer(rf"\.{metodo}\(", fuente):
        nivel, i = 1, m.end()
        while nivel and i < len(fuente):
            nivel += {"(": 1, ")": -1}.get(fuente[i], 0)
            i += 1
        yield fuente[m.end():i - 1]


def reglas_lotes(nb):
    """Cada predict/evaluate de Keras (se reconocen por `verbose=`, que scikit-learn no tiene) nombra su
    `batch_size`, y cada fit con `validation_data` nombra `validation_batch_size`: si no, Keras usa lotes
    de 32 (con un PyDataset, también al validar), cientos de pasos pequeños que en una GPU rápida
    cuestan más que la época de entrenamiento. Y cada compile de Keras (se reconoce por `optimizer=`) nombra
    `steps_per_execution`: con uno por defecto, cada lote vuelve a Python y paga el coste fijo de un paso."""
    fuente, problemas = codigo(nb), []
    for metodo in ("predict", "evaluate"):
        problemas += [f".{metodo}({a}) sin batch_size" for a in _llamadas(fuente, metodo)
                      if "verbose=" in a and "batch_size=" not in a]
    problemas += [f".fit({a}) sin validation_batch_size" for a in _llamadas(fuente, "fit")
                  if "validation_data=" in a and "validation_batch_size=" not in a]
    problemas += [f".compile({a}) sin steps_per_execution" for a in _llamadas(fuente, "compile")
                  if "optimizer=" in a and "steps_per_execution=" not in a]
    return problemas


AUTOR = r"[A-Z][a-zà-ÿ][A-Za-zà-ÿ]*(?:-[A-Z][a-zà-ÿ]+)?"
CITA = re.compile(rf"\b({AUTOR})(?: et al\.|(?:, {AUTOR})*(?: y {AUTOR}))?,? ((?:19|20)\d\d)\b")


def reglas_referencias(nb):
    """Cada cita «(Autor, año)» del texto tiene su entrada en Referencias, y cada entrada fechada se cita."""
    texto = texto_de(nb)
    cuerpo, _, referencias = texto.partition("## Referencias")
    entradas = [l for l in referencias.splitlines() if l.startswith("- ")]
    citas = set(CITA.findall(cuerpo))
    problemas = [f"cita sin referencia: {a}, {y}" for a, y in sorted(citas)
                 if not any(e.startswith(f"- {a},") and f"({y})" in e for e in entradas)]
    for e in entradas:
        fecha = re.match(rf"- ({AUTOR}),.*?\(((?:19|20)\d\d)\)", e)
        if fecha and fecha.groups() not in citas:
            problemas.append(f"referencia que el texto no cita: {e[:60]}")
    return problemas + ([] if entradas else ["la sección Referencias está vacía"])


def test_formato_sin_salidas():
    assert reglas_formato(leer()) == []


def test_codigo_sin_escrituras_ni_elecciones():
    assert reglas_codigo(leer()) == []


def test_celdas_cortas_y_con_texto_previo():
    assert reglas_lectura(leer()) == []


def test_extension_para_leer_en_45_minutos():
    assert reglas_extension(leer()) == []


def test_frases_de_45_palabras_como_mucho():
    assert reglas_frases(leer()) == []


def test_encabezados_e_insignia():
    assert reglas_texto(leer()) == []


def test_lotes_explicitos_en_keras():
    assert reglas_lotes(leer()) == []


def test_citas_y_referencias_casan():
    assert reglas_referencias(leer()) == []


def test_una_sola_celda_de_constantes():
    """Los hiperparámetros en MAYÚSCULAS se definen en la celda de configuración y en ninguna otra."""
    nb = leer()
    celdas = [c.source for c in nb.cells if c.cell_type == "code"]
    config = [i for i, s in enumerate(celdas) if es_configuracion(s)]
    assert len(config) == 1
    asignacion = re.compile(r"^([A-Z][A-Z0-9_]+(?:\s*,\s*[A-Z][A-Z0-9_]+)*)\s*=(?!=)", re.M)  # también A, B = …
    nombres = lambda fuente: {n.strip() for grupo in asignacion.findall(fuente) for n in grupo.split(",")}
    definidas = nombres(celdas[config[0]])
    assert {"SEMILLA", "RAPIDO", "LENET_EPOCAS", "LENET_REPETICIONES", "HOG_REJILLA", "HOG_PLIEGUES", "CIFAR_EPOCAS",
            "CIFAR_MOMENTO", "AE_SIGMA", "AE_EPOCAS_EXPERIMENTO"} <= definidas
    for i, s in enumerate(celdas):
        if i != config[0]:
            assert not nombres(s) & definidas, f"la celda {i} redefine una constante de configuración"


def _romper(nb, regla):
    nb = copy.deepcopy(nb)
    primera = next(c for c in nb.cells if c.cell_type == "code")
    if regla == "salidas":
        primera.outputs = [nbformat.v4.new_output("stream", text="hola")]
        primera.execution_count = 1
    elif regla == "kernel":
        nb.metadata["kernelspec"]["name"] = "ir"
    elif regla == "sin acelerador":
        del nb.metadata["accelerator"]
    elif regla == "otra gpu":
        nb.metadata["colab"]["gpuType"] = "A100"
    elif regla == "insignia":
        for c in nb.cells:
            c.source = c.source.replace("colab.research.google.com", "example.org")
    elif regla == "celda larga":
        segunda = [c for c in nb.cells if c.cell_type == "code"][1]
        segunda.source += "".join(f"\nx{i} = {i}" for i in range(MAX_LINEAS_CELDA))
    elif regla == "código seguido":  # una celda de código justo después de otra
        i = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
        nb.cells.insert(i + 1, nbformat.v4.new_code_cell("x = 1"))
    elif regla == "mucho texto":
        next(c for c in nb.cells if c.cell_type == "markdown").source += " palabra" * MAX_PALABRAS
    elif regla == "frase larga":  # se añade a la primera celda de texto una frase de más de 45 palabras
        next(c for c in nb.cells if c.cell_type == "markdown").source += "\n\nUna frase " + "muy " * MAX_PALABRAS_FRASE + "larga."
    elif regla == "mucho código":
        primera.source += "".join(f"\nx{i} = {i}" for i in range(MAX_LINEAS_CODIGO))
    elif regla == "muchas figuras":
        primera.source += "\nplt.show()" * (MAX_FIGURAS + 1)
    elif regla == "encabezado":
        for c in nb.cells:
            c.source = c.source.replace("## Conclusiones", "## Otra cosa")
    elif regla.startswith("texto:"):  # se añade a la primera celda de texto
        next(c for c in nb.cells if c.cell_type == "markdown").source += regla[len("texto:"):]
    elif regla == "sin cita":  # se borra del texto la única cita de Cortes y Vapnik
        for c in nb.cells:
            if "## Referencias" not in c.source:
                c.source = c.source.replace("Cortes y Vapnik, 1995", "Cortes y Vapnik")
    else:
        primera.source += "\n" + regla
    return nb


@pytest.mark.parametrize("regla, comprobacion", [
    ("salidas", reglas_formato), ("kernel", reglas_formato), ("sin acelerador", reglas_formato),
    ("otra gpu", reglas_formato), ("insignia", reglas_texto), ("celda larga", reglas_lectura),
    ("código seguido", reglas_lectura), ("mucho texto", reglas_extension), ("mucho código", reglas_extension),
    ("muchas figuras", reglas_extension), ("frase larga", reglas_frases),
    ("encabezado", reglas_texto), ("texto: (Fulano y Mengano, 1999)", reglas_referencias),
    ("texto: (Vincent et al., 2009)", reglas_referencias), ("sin cita", reglas_referencias),
    ("plt.savefig('f.png')", reglas_codigo), ("modelo.save('m.keras')", reglas_codigo),
    ("keras.callbacks.ModelCheckpoint('m')", reglas_codigo), ("keras.utils.plot_model(m, to_file='a.png')", reglas_codigo),
    ("np.save('a.npy', x)", reglas_codigo), ("df.to_csv('a.csv')", reglas_codigo),
    ("open('a.txt', 'w').write('x')", reglas_codigo), ("f = io.open('a.txt', 'w')", reglas_codigo), ("x = input('¿semilla?')", reglas_codigo),
    ("!pip install keras", reglas_codigo), ("%pip install keras", reglas_codigo),
    ("import tensorflow as tf; tf.keras.Sequential()", reglas_codigo), ("from tests import entorno", reglas_codigo),
    ("p = modelo.predict(x, verbose=0)", reglas_lotes), ("modelo.evaluate(x, y, verbose=0)", reglas_lotes),
    ("modelo.fit(lotes, epochs=1, validation_data=(x, y), verbose=2)", reglas_lotes),
    ("modelo.compile(optimizer='adam', loss='mse')", reglas_lotes),
])
def test_las_reglas_detectan(regla, comprobacion):
    assert comprobacion(leer()) == []
    assert comprobacion(_romper(leer(), regla)) != []
