"""La regla de figuras del arranque de las pruebas (``01_figuras.py``) detecta lo que debe detectar.

nbval ejecuta el cuaderno con ese arranque: una figura sin título o con un eje sin rotular hace
fallar su celda. Aquí se comprueba la regla con figuras hechas a propósito.
"""

import importlib.util

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from tests.entorno import ARRANQUE  # noqa: E402


@pytest.fixture(scope="module")
def regla():
    espec = importlib.util.spec_from_file_location("arranque_figuras", ARRANQUE / "01_figuras.py")
    modulo = importlib.util.module_from_spec(espec)
    espec.loader.exec_module(modulo)
    return modulo


def faltas(regla, fig):
    try:
        return regla.faltas_de_figura(fig)
    finally:
        plt.close(fig)


def test_figura_completa_pasa(regla):
    fig, (a, b) = plt.subplots(1, 2)
    a.plot([1, 2, 3]); a.set(title="Pérdida", xlabel="época", ylabel="entropía cruzada")
    b.barh(["LeNet", "HOG + SVM"], [1.8, 1.9]); b.set(title="Error", xlabel="error (%)")  # y: categorías
    assert faltas(regla, fig) == []


def test_galeria_con_titulo_de_figura_pasa(regla):
    fig, ejes = plt.subplots(1, 3)
    for eje in ejes:
        eje.imshow(np.zeros((4, 4))); eje.axis("off")
    fig.suptitle("Galería")
    assert faltas(regla, fig) == []


def test_barra_de_color_no_cuenta(regla):
    fig, eje = plt.subplots()
    fig.colorbar(eje.imshow(np.eye(3)), ax=eje)
    eje.set(title="Mapa", xlabel="columna", ylabel="fila")
    assert faltas(regla, fig) == []


def test_detecta_eje_sin_rotulo(regla):
    fig, eje = plt.subplots()
    eje.plot([1, 2, 3]); eje.set(title="Curva", xlabel="época")
    assert faltas(regla, fig) == ["panel 0 «Curva»: eje y sin rótulo"]


def test_detecta_figura_sin_titulo(regla):
    fig, ejes = plt.subplots(1, 2)
    for eje in ejes:
        eje.imshow(np.zeros((4, 4))); eje.axis("off")
    ejes[0].set_title("7 → 1")
    assert faltas(regla, fig) == ["panel 1: sin título (ni de panel ni de figura)"]


def test_marcas_numericas_no_son_nombres(regla):
    fig, eje = plt.subplots()
    eje.semilogy([1, 10, 100]); eje.set(title="MSE")  # marcas numéricas (con − y potencias): faltan rótulos
    assert faltas(regla, fig) == ["panel 0 «MSE»: eje x sin rótulo", "panel 0 «MSE»: eje y sin rótulo"]


def test_el_kernel_de_las_pruebas_aplica_la_regla():
    """En un kernel con el entorno de las pruebas, plt.show() de una figura incompleta hace fallar la celda."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("import matplotlib.pyplot as plt\n"
                                  "plt.plot([1, 2]); plt.title('Buena'); plt.xlabel('época'); plt.ylabel('MSE')\n"
                                  "plt.show()"),
        nbformat.v4.new_code_cell("plt.figure(); plt.plot([1, 2]); plt.title('Sin rótulos'); plt.show()")])
    with pytest.raises(CellExecutionError, match="eje x sin rótulo") as error:
        NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    assert "Buena" not in str(error.value) and nb.cells[0].outputs == []
