"""Ejecución completa del cuaderno (modo rápido) en un arenero: nada escrito y resultados reproducibles.

nbval ya ha ejecutado el cuaderno (primer elemento de `testpaths`); aquí se ejecuta otra vez desde
una copia del repositorio, con HOME, TMPDIR, KERAS_HOME y la configuración de matplotlib en carpetas
temporales. Las dos ejecuciones deben imprimir los mismos números (salvo tiempos).
"""

import os
import re
import shutil

import nbformat
import pytest

from tests import entorno, presupuesto_t4
from tests.cuaderno import ejecutar_aislado, ficheros_nuevos, filas_tabla, numeros_impresos, textos_de_salidas
from tests.test_estatico import reglas_frases


@pytest.fixture(scope="module")
def ejecucion():
    if not (os.environ.get("PRACTICA3_DATOS") or os.environ.get("GITHUB_ACTIONS")):
        pytest.skip("sin PRACTICA3_DATOS (y sin red) el cuaderno no puede cargar los datos")
    nb, arenero, antes = ejecutar_aislado()
    yield nb, arenero, antes
    shutil.rmtree(arenero, ignore_errors=True)


def test_no_escribe_en_disco(ejecucion):
    _, arenero, antes = ejecucion
    assert ficheros_nuevos(arenero, antes) == []


def test_ficheros_nuevos_detecta_una_escritura(tmp_path):
    (tmp_path / "repo").mkdir()
    antes = set(tmp_path.rglob("*"))
    (tmp_path / "repo" / "figura.png").write_bytes(b"x")
    (tmp_path / "keras" / "keras.json").parent.mkdir()
    (tmp_path / "keras" / "keras.json").write_text("{}")
    assert ficheros_nuevos(tmp_path, antes) == [os.path.join("repo", "figura.png")]


def test_reproducible(ejecucion):
    nb, _, _ = ejecucion
    actual = [textos_de_salidas(c.outputs) for c in nb.cells if c.cell_type == "code"]
    if entorno.SALIDAS_NBVAL:
        anterior = [textos_de_salidas(s) for _, s in entorno.SALIDAS_NBVAL]
    else:  # se ha lanzado sin nbval (p. ej. `pytest tests`): otra ejecución aislada
        otra, arenero, _ = ejecutar_aislado()
        shutil.rmtree(arenero, ignore_errors=True)
        anterior = [textos_de_salidas(c.outputs) for c in otra.cells if c.cell_type == "code"]
    assert sum(len(numeros_impresos(t)) for t in actual) > 200, "la ejecución apenas imprime números"
    assert len(actual) == len(anterior)
    for i, (a, b) in enumerate(zip(actual, anterior)):
        assert numeros_impresos(a) == numeros_impresos(b), f"celda de código {i}:\n{a}\n--- frente a ---\n{b}"


def test_comparacion_ignora_tiempos_y_detecta_resultados():
    """La extracción de números descarta tiempos y estilos, pero no exactitudes ni tablas de resultados."""
    def salidas(exactitud, segundos, uuid):
        return [{"output_type": "stream", "name": "stdout",
                 "text": f"Exactitud en test: {exactitud} %\nEntrenamiento: {segundos} s por época\n"},
                {"output_type": "display_data", "data": {"text/html":
                    f"<style>#T_{uuid} td {{color: #000}}</style><table id='T_{uuid}'><tr><th>val</th><th>s_total</th>"
                    f"</tr><tr><td>{exactitud}</td><td>{segundos}</td></tr></table>"}}]

    base = numeros_impresos(textos_de_salidas(salidas("98.20", "1.5", "a1b2")))
    assert base == numeros_impresos(textos_de_salidas(salidas("98.20", "2.7", "ff00")))
    assert base != numeros_impresos(textos_de_salidas(salidas("98.25", "1.5", "a1b2")))


def numero(texto):
    """Número impreso a la española («0,9928», «384 828») como float."""
    return float(texto.replace("&nbsp;", "").replace("\xa0", "").replace(" ", "").replace(",", ".").replace("−", "-"))


def tabla_de(nb, marca):
    """(cabecera, filas) de la primera tabla HTML que imprime la celda de código que contiene `marca`."""
    celda = next(c for c in nb.cells if c.cell_type == "code" and marca in c.source)
    cabecera, *filas = filas_tabla(re.search(r"<table.*?</table>", textos_de_salidas(celda.outputs), re.S).group(0))
    return [c.strip() for c in cabecera], [[c.strip() for c in f] for f in filas if f]


def frase_de(nb, marca):
    """Texto Markdown generado por la celda de código que contiene `marca`."""
    celda = next(c for c in nb.cells if c.cell_type == "code" and marca in c.source)
    return next(s["data"]["text/markdown"] for s in celda.outputs if "text/markdown" in s.get("data", {}))


def comprobar_mayor_aporte(frase, nombres, cambios):
    """La frase de `mostrar_ablacion` nombra el ingrediente de mayor «cambio (puntos)» de su tabla, con ese cambio."""
    nombre, cifra = re.search(r"Mayor aporte en esta ejecución: «(.+?)» \(([+−\-][\d,]+) puntos\)", frase).groups()
    validos = {n: numero(c) for n, c in zip(nombres, cambios) if c != "—"}
    assert max(validos.values()) == numero(cifra) == validos[nombre], (nombre, cifra, validos)


def comprobar_veredicto(frase, exactitudes, fijada):
    """La frase de `veredicto` nombra la mejor alternativa, su ventaja y el veredicto que dan los números."""
    rival = max((n for n in exactitudes if n != fijada), key=exactitudes.get)
    if "empata con la elección fijada" in frase:
        ventaja = 0.0
    else:
        supera, cifra = re.search(r"(supera a la elección fijada en|queda) ([\d,]+) puntos", frase).groups()
        ventaja = numero(cifra) * (1 if supera.startswith("supera") else -1)
    error_tipico = numero(re.search(r"error típico de la diferencia: ([\d,]+) puntos", frase).group(1))
    assert f"«{rival}»" in frase
    assert abs(ventaja - 100 * (exactitudes[rival] - exactitudes[fijada])) < 0.011
    dicho = re.findall(r"\*\*(confirma|no contradice|la contradice)\*\*", frase)
    assert len(dicho) == 1, frase
    if min(abs(ventaja), abs(ventaja - error_tipico)) > 0.01:  # lejos de los empates (la frase usa cifras sin redondear)
        assert dicho[0] == ("confirma" if ventaja <= 0 else "no contradice" if ventaja <= error_tipico else "la contradice")


def test_comprobacion_de_la_lenet(ejecucion):
    """1.1: la primera fila es el procedimiento fijado; cada otra cambia una decisión; la frase sigue a la tabla."""
    nb, _, _ = ejecucion
    cabecera, filas = tabla_de(nb, "comprobacion_lenet = pd.DataFrame")
    exactitudes = {f[cabecera.index("variante")]: numero(f[cabecera.index("exactitud val.")]) for f in filas}
    assert list(exactitudes)[0] == "fijado" and len(exactitudes) >= 4
    comprobar_veredicto(frase_de(nb, "comprobacion_lenet = pd.DataFrame"), exactitudes, "fijado")


def test_ablacion_de_mnist_acumulativa(ejecucion):
    """1.3: la ablación añade un ingrediente por fila, todas con las mismas épocas, y su última fila es la red
    final (mismos parámetros); la frase generada sigue a la tabla."""
    nb, _, _ = ejecucion
    cabecera, filas = tabla_de(nb, "ablacion_mnist = mostrar_ablacion")
    columna = lambda nombre: [f[cabecera.index(nombre)] for f in filas]
    assert columna("ingrediente")[0].startswith("base") and all(n.startswith("+ ") for n in columna("ingrediente")[1:])
    assert len(set(columna("épocas"))) == 1 and len(filas) == 6
    final = next(c for c in nb.cells if c.cell_type == "code" and "entrenar_mnist(MNIST_RECETA" in c.source)
    parametros = numero(re.search(r"(\d[\d\xa0]*) parámetros", textos_de_salidas(final.outputs)).group(1))
    assert numero(columna("parámetros")[-1]) == parametros
    exactitudes = dict(zip(columna("ingrediente"), map(numero, columna("exactitud val."))))
    comprobar_veredicto(frase_de(nb, "ablacion_mnist = mostrar_ablacion"), exactitudes, columna("ingrediente")[-1])
    comprobar_mayor_aporte(frase_de(nb, "ablacion_mnist = mostrar_ablacion"), columna("ingrediente"), columna("cambio (puntos)"))


def test_ablacion_de_cifar_acumulativa(ejecucion):
    """1.3 CIFAR-10: la línea base es la LeNet; cada fila añade un ingrediente de airbench94, todas con las mismas
    épocas; la fila del TTA evalúa el modelo de la anterior (sin entrenamiento: «—» en exactitud de entrenamiento y
    segundos por época) y la penúltima tiene los
    parámetros del modelo final; la frase generada sigue a la tabla, y su veredicto juzga la penúltima fila (la receta
    final sin TTA) frente a las anteriores, todas evaluadas sin TTA."""
    nb, _, _ = ejecucion
    cabecera, filas = tabla_de(nb, "ablacion_cifar = mostrar_ablacion")
    columna = lambda nombre: [f[cabecera.index(nombre)] for f in filas]
    nombres = columna("ingrediente")
    assert nombres[0].startswith("LeNet") and all(n.startswith("+ ") for n in nombres[1:]) and len(filas) == 10
    assert len(set(columna("épocas"))) == 1 and nombres[-1].startswith("+ TTA")
    assert columna("s por época")[-1] == columna("exactitud ent.")[-1] == "—" != columna("s por época")[-2]
    final = next(c for c in nb.cells if c.cell_type == "code" and "entrenar_cifar(CIFAR_RECETA" in c.source)
    parametros = numero(re.search(r"\| (\d[\d\xa0]*) parámetros", textos_de_salidas(final.outputs)).group(1))
    assert numero(columna("parámetros")[-1]) == parametros and numero(columna("parámetros")[0]) != parametros
    exactitudes = dict(zip(nombres[:-1], map(numero, columna("exactitud val.")[:-1])))  # sin la fila del TTA
    comprobar_veredicto(frase_de(nb, "ablacion_cifar = mostrar_ablacion"), exactitudes, nombres[-2])
    comprobar_mayor_aporte(frase_de(nb, "ablacion_cifar = mostrar_ablacion"), nombres, columna("cambio (puntos)"))


def comprobar_tamano_svm(texto, dimension_pca=128, dimension_hog=1620, clases=10):
    """«N valores (M vectores de soporte, …)»: N cuenta todo lo que guardan la PCA y el SVC uno contra uno: los M
    vectores (dimension_pca valores cada uno) con sus coeficientes duales (clases − 1 cada uno), un sesgo por par de
    clases y la PCA (dimension_pca componentes de dimension_hog valores, y la media)."""
    n_valores, n_vectores = map(numero, re.match(r"(.+?) valores \((.+?) vectores de soporte", texto).groups())
    pares = clases * (clases - 1) // 2
    assert n_valores == n_vectores * (dimension_pca + clases - 1) + pares + (dimension_pca + 1) * dimension_hog, texto


def test_tamano_del_svm(ejecucion):
    """1.2: el tamaño de HOG + PCA + SVM en la comparación con la LeNet cuenta todo lo que guarda el modelo
    (HOG_PCA = 128 componentes; HOG de celdas de 4 y 7 px con 9 orientaciones: 1620 valores)."""
    nb, _, _ = ejecucion
    cabecera, filas = tabla_de(nb, "comparacion = pd.DataFrame")
    comprobar_tamano_svm(filas[1][cabecera.index("tamaño del modelo")])


def test_tamano_del_svm_incompleto_se_detecta():
    """Contar solo los vectores de soporte y la matriz de la PCA, como antes, no pasa."""
    with pytest.raises(AssertionError):
        comprobar_tamano_svm(f"{5878 * 128 + 128 * 1620} valores (5878 vectores de soporte, sus coeficientes y la PCA)")


def test_mejor_clasico_fijado_y_comprobado_en_validacion(ejecucion):
    """Ejercicio 2: el «mejor clásico» del resumen es el fijado (`AE_MEJOR_CLASICO`, con su parámetro), y la línea que
    lo compara con el barrido de validación nombra el filtro de mayor PSNR y dice bien si coincide."""
    nb, _, _ = ejecucion
    barrido = next(c for c in nb.cells if c.cell_type == "code" and "psnr_fijado = {}" in c.source)
    texto, validacion, parametros = textos_de_salidas(barrido.outputs), {}, {}
    for linea in texto.splitlines():
        m = re.match(r"(.+?): PSNR de validación \(valor → dB\) (.+); mejor .+, fijado (\S+) →", linea)
        if m:
            valores = dict(par.split(" → ") for par in m.group(2).split("; "))
            validacion[m.group(1)], parametros[m.group(1)] = numero(valores[m.group(3)]), m.group(3)
    assert len(validacion) == 4, validacion
    mayor, fijado, veredicto = re.search(r"Mayor PSNR de validación: (.+?); mejor clásico fijado \(AE_MEJOR_CLASICO\): "
                                         r"(.+?) → (coincide|no coincide)", texto).groups()
    assert validacion[mayor] == max(validacion.values()) and fijado in validacion, (mayor, fijado, validacion)
    assert (veredicto == "coincide") == (mayor == fijado)
    cabecera, filas = tabla_de(nb, "mostrar_tabla(resumen")
    elegido = next(f[cabecera.index("método")].removeprefix("Mejor clásico: ") for f in filas
                   if f[cabecera.index("método")].startswith("Mejor clásico: "))
    assert elegido == f"{fijado} = {parametros[fijado]}", (elegido, fijado)


def faltas_por_celda(nb, detector):
    """{índice de celda: lo que `detector` encuentra en sus salidas}, solo para las celdas de código con algo."""
    return {i: f for i, c in enumerate(nb.cells) if c.cell_type == "code" and (f := detector(c.outputs))}


SIN_FORMATO = re.compile(r"^-?\d+[.,]\d{6}$")  # el formato por defecto de pandas (6 decimales): columna olvidada


def celdas_sin_formato(salidas):
    """Celdas de las tablas HTML de unas salidas que muestran un real con el formato por defecto."""
    texto = textos_de_salidas(salidas)
    return [celda.strip() for tabla in re.findall(r"<table.*?</table>", texto, re.S)
            for fila in filas_tabla(tabla)[1:] for celda in fila if SIN_FORMATO.match(celda.strip())]


def test_tablas_con_formato(ejecucion):
    """Cada columna real de cada tabla tiene su formato (decimales con sentido, no los 6 de pandas)."""
    nb, _, _ = ejecucion
    faltas = faltas_por_celda(nb, celdas_sin_formato)
    assert not faltas, f"tablas sin formato (celda: valores): {faltas}"


def test_tablas_sin_formato_se_detectan():
    import pandas as pd

    tabla = pd.DataFrame({"exactitud": [0.98], "segundos": [12.5], "n": [3]})
    salida = lambda estilo: [{"output_type": "display_data", "data": {"text/html": estilo.to_html()}}]
    assert celdas_sin_formato(salida(tabla.style)) == ["0.980000", "12.500000"]
    assert celdas_sin_formato(salida(tabla.style.format({"exactitud": "{:.4f}", "segundos": "{:.1f}"}))) == []


PUNTO_DECIMAL = re.compile(r"(?<!Ejercicio )\d\.\d")  # la prosa usa coma decimal (salvo «Ejercicio 1.3»)


def markdown_generado(salidas):
    """Textos Markdown que muestran unas salidas de celda (los párrafos que el cuaderno genera con `mostrar_md`)."""
    return [s.get("data", {}).get("text/markdown", "") for s in salidas
            if s.get("output_type") in ("display_data", "execute_result")]


def salida_markdown(texto):
    """Salidas de una celda que solo muestra `texto` como Markdown (los casos que rompen a propósito las reglas)."""
    return [{"output_type": "display_data", "data": {"text/markdown": texto}}]


def fragmentos_generados(salidas, patron, antes, despues):
    """Cada aparición de `patron` en los párrafos Markdown generados, con `antes` y `despues` caracteres de contexto."""
    return [t[max(0, m.start() - antes):m.end() + despues] for t in markdown_generado(salidas) for m in patron.finditer(t)]


def prosa_con_punto_decimal(salidas):
    """Fragmentos de los párrafos Markdown generados que escriben un número con punto decimal."""
    return fragmentos_generados(salidas, PUNTO_DECIMAL, 20, 20)


def test_prosa_generada_con_coma_decimal(ejecucion):
    """Los párrafos escritos con los números de la ejecución usan la coma decimal, como el texto fijo."""
    nb, _, _ = ejecucion
    generados = [c for c in nb.cells if c.cell_type == "code" and re.search(r"^mostrar_md\(", c.source, re.M)]
    assert len(generados) >= 5 and all(any("text/markdown" in s.get("data", {}) for s in c.outputs) for c in generados)
    faltas = faltas_por_celda(nb, prosa_con_punto_decimal)
    assert not faltas, f"números con punto decimal en la prosa generada: {faltas}"


def test_prosa_con_punto_decimal_se_detecta():
    assert prosa_con_punto_decimal(salida_markdown("exactitud de **98.25 %** en test")) == ["exactitud de **98.25 %** en test"]
    assert prosa_con_punto_decimal(salida_markdown("exactitud de **98,25 %** en test (10\xa0000 imágenes; Ejercicio 1.3).")) == []


APARTADO_CON_COMA = re.compile(r"\(1,[123]\)")  # «(1.2)» que formato_es convirtió en «(1,2)»: escribir «Ejercicio 1.2»


def apartados_con_coma(salidas):
    """Fragmentos de los párrafos Markdown generados que nombran un apartado («(1.2)») y salen con coma decimal."""
    return fragmentos_generados(salidas, APARTADO_CON_COMA, 30, 0)


def test_apartados_de_la_prosa_generada_sin_coma(ejecucion):
    """Los apartados que nombra la prosa generada («Ejercicio 1.2») no salen como números con coma («(1,2)»)."""
    nb, _, _ = ejecucion
    faltas = faltas_por_celda(nb, apartados_con_coma)
    assert not faltas, f"apartados con coma en la prosa generada: {faltas}"


def test_apartado_con_coma_se_detecta():
    assert apartados_con_coma(salida_markdown("- McNemar, LeNet frente a HOG + SVM (1,2): p = 0,01")) == [
        "mar, LeNet frente a HOG + SVM (1,2)"]
    assert apartados_con_coma(salida_markdown("- McNemar, LeNet frente a HOG + SVM (Ejercicio 1.2): p = 0,01")) == []


ESPACIO_ANTES = re.compile(r" [,;:.](?=\s|$)")  # «clásico , medias»: un fragmento vacío entre dos f-strings


def espacios_antes_de_puntuacion(salidas):
    """Fragmentos de los párrafos Markdown generados con un espacio antes de coma, punto y coma, dos puntos o punto."""
    return fragmentos_generados(salidas, ESPACIO_ANTES, 20, 10)


def test_prosa_generada_sin_espacio_antes_de_puntuacion(ejecucion):
    """La prosa generada no deja un espacio antes de la puntuación (al unir trozos de f-strings)."""
    nb, _, _ = ejecucion
    faltas = faltas_por_celda(nb, espacios_antes_de_puntuacion)
    assert not faltas, f"espacio antes de la puntuación en la prosa generada: {faltas}"


def test_espacio_antes_de_puntuacion_se_detecta():
    assert espacios_antes_de_puntuacion(salida_markdown("el mejor método clásico , medias no locales, llega")) == [
        "mejor método clásico , medias no"]
    assert espacios_antes_de_puntuacion(salida_markdown("el mejor método clásico, medias no locales (h/σ) = 0,1, llega.")) == []


def frases_largas_generadas(salidas):
    """Frases de más de 45 palabras en los párrafos Markdown generados: la regla del texto fijo (`reglas_frases`)."""
    textos = markdown_generado(salidas)
    return reglas_frases(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(t) for t in textos if t]))


def test_prosa_generada_sin_frases_largas(ejecucion):
    """Las frases que el cuaderno escribe con sus números tampoco pasan de 45 palabras (issue 20)."""
    nb, _, _ = ejecucion
    faltas = faltas_por_celda(nb, frases_largas_generadas)
    assert not faltas, f"frases generadas de más de 45 palabras: {faltas}"


def test_frase_generada_larga_se_detecta():
    lista = "; ".join(f"ingrediente {i}: +0,{i}" for i in range(20))  # la frase de la ablación de antes
    assert len(frases_largas_generadas(salida_markdown(f"Cambio con cada ingrediente (puntos): {lista}."))) == 1
    assert frases_largas_generadas(salida_markdown("Cambio con cada ingrediente: columna «cambio». Otra frase corta.")) == []


AVISO = re.compile(r"\b\w*Warning\b|^W\d{4} ", re.M)  # FutureWarning, UserWarning…, o un aviso de absl/TensorFlow


def avisos(nb):
    """Salidas de error (stderr) y avisos de Python que un cuaderno ejecutado muestra al lector."""
    return [(i, t["text"][:300]) for i, c in enumerate(nb.cells) if c.cell_type == "code" for t in c.outputs
            if t.get("output_type") == "stream" and (t.get("name") == "stderr" or AVISO.search(t["text"]))]


def test_sin_avisos_en_las_salidas(ejecucion):
    """La memoria entregada no muestra avisos ni salidas de error (con pandas 2.2, una fila con None en `resumen`
    imprimía un FutureWarning; con las versiones de tests/requisitos-colab.txt, esta prueba lo detecta)."""
    nb, _, _ = ejecucion
    assert avisos(nb) == []


def test_aviso_en_las_salidas_se_detecta():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x", outputs=[
        nbformat.v4.new_output("stream", name="stderr", text="<ipython-input>:3: FutureWarning: The behavior of ...\n"),
        nbformat.v4.new_output("stream", name="stdout", text="UserWarning: algo\n"),
        nbformat.v4.new_output("stream", name="stdout", text="Exactitud 0,99\n")])])
    assert [i for i, _ in avisos(nb)] == [0, 0]


def pasos_contados(nb):
    """{parte: pasos} de la tabla «Presupuesto de tiempo» de un cuaderno ejecutado."""
    celda = next(c for c in nb.cells if c.cell_type == "code" and 'marcar_parte("fin")' in c.source)
    tabla = re.search(r"<table.*?</table>", textos_de_salidas(celda.outputs), re.S).group(0)
    cabecera, *filas = filas_tabla(tabla)
    i_parte, i_pasos = cabecera.index("parte"), cabecera.index("pasos")
    return {f[i_parte].strip(): int(numero(f[i_pasos])) for f in filas if f[i_parte].strip() != "total"}


def test_pasos_del_modelo_de_coste_son_los_del_cuaderno(ejecucion):
    """Los pasos por parte que predice tests/presupuesto_t4.py (modo rápido) son los que contó la ejecución."""
    nb, _, _ = ejecucion
    contados = pasos_contados(nb)
    assert sum(contados.values()) > 100, contados
    assert presupuesto_t4.diferencias_pasos(presupuesto_t4.pasos_rapido(), contados) == {}


RESUMEN_FIT = re.compile(r"^\S+: \d+ épocas, [\d,]+ s por época; última época: ", re.M)  # la línea de `entrenar`
POR_EPOCA = re.compile(r"^Epoch \d+/\d+|^\s*\d+/\d+ - \d+m?s", re.M)  # registro de Keras con verbose=1 o 2


def test_una_linea_por_entrenamiento(ejecucion):
    """Cada `fit` imprime una sola línea (la de `entrenar`) y ninguna por época: tantas como entrenamientos
    cuenta el modelo de coste."""
    nb, _, _ = ejecucion
    salidas = "\n".join(textos_de_salidas(c.outputs) for c in nb.cells if c.cell_type == "code")
    assert not POR_EPOCA.search(salidas), POR_EPOCA.search(salidas)
    assert len(RESUMEN_FIT.findall(salidas)) == presupuesto_t4.entrenamientos_rapido()


def test_registro_por_epoca_se_detecta():
    assert POR_EPOCA.search("Epoch 3/15\n422/422 - 111s - 263ms/step - loss: 0.1")
    assert not POR_EPOCA.search("ae_indicado: 10 épocas, 1,2 s por época; última época: loss 0,01")



MAX_TABLAS = 14  # tablas que se muestran (issue 20); las de arquitectura del texto no cuentan


def tablas_mostradas(nb):
    """Tablas HTML (DataFrame mostrados con display) en las salidas de un cuaderno ejecutado."""
    return sum(len(re.findall(r"<table\b", salida.get("data", {}).get("text/html", "")))
               for c in nb.cells if c.cell_type == "code" for salida in c.outputs)


def test_como_mucho_catorce_tablas(ejecucion):
    nb, _, _ = ejecucion
    assert 0 < tablas_mostradas(nb) <= MAX_TABLAS


def test_las_tablas_se_cuentan():
    import nbformat
    tabla = {"output_type": "display_data", "metadata": {}, "data": {"text/html": "<table><tr><td>1</td></tr></table>"}}
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x", outputs=[tabla, tabla])])
    assert tablas_mostradas(nb) == 2


def test_mayor_aporte_equivocado_se_detecta():
    nombres, cambios = ["base", "+ BN", "+ Dropout"], ["—", "+0,50", "−0,10"]
    comprobar_mayor_aporte("Mayor aporte en esta ejecución: «+ BN» (+0,50 puntos). La mejor…", nombres, cambios)
    for frase in ["Mayor aporte en esta ejecución: «+ Dropout» (−0,10 puntos).",
                  "Mayor aporte en esta ejecución: «+ BN» (+0,40 puntos)."]:
        with pytest.raises(AssertionError):
            comprobar_mayor_aporte(frase, nombres, cambios)
