"""Arranque de IPython de las pruebas: cada figura que se muestra lleva título y ejes rotulados.

Envuelve ``matplotlib.pyplot.show``: antes de mostrar, revisa cada figura abierta que aún no
se haya revisado y lanza ``AssertionError`` (la celda falla en nbval) si le falta algo:

* un título: el de la figura (``suptitle``) o el de cada panel visible;
* en cada panel visible con ejes (curvas, barras, matrices de confusión), el rótulo de los dos
  ejes, salvo el eje cuyas marcas son nombres (categorías), que ya se rotulan solos.

Los paneles ocultos (``axis("off")``, típicos de las galerías de imágenes) solo necesitan el
título, y las barras de color quedan fuera de la regla. El cuaderno no sabe nada de esto.
"""

def _marcas_son_nombres(eje_xy):
    """True si las marcas de un eje son nombres (categorías) y no valores numéricos."""
    from matplotlib.category import StrCategoryFormatter
    from matplotlib.ticker import FixedFormatter

    formato = eje_xy.get_major_formatter()
    if isinstance(formato, StrCategoryFormatter):
        return True
    if not isinstance(formato, FixedFormatter):  # marcas calculadas: números (lineales, logarítmicas…)
        return False
    textos = [t.replace("−", "-").strip() for t in formato.seq if str(t).strip()]
    for t in textos:
        try:
            float(t)
        except ValueError:
            return True
    return False


def faltas_de_figura(fig):
    """Lista de lo que le falta a una figura (vacía si está completa)."""
    faltas = []
    paneles = [eje for eje in fig.axes if eje.get_visible() and eje.get_label() != "<colorbar>"]
    con_suptitulo = fig.get_suptitle().strip() != ""
    for i, eje in enumerate(paneles):
        nombre = f"panel {i}" + (f" «{eje.get_title()}»" if eje.get_title() else "")
        if not con_suptitulo and not eje.get_title().strip():
            faltas.append(f"{nombre}: sin título (ni de panel ni de figura)")
        if not eje.axison:
            continue
        for letra, rotulo, eje_xy in (("x", eje.get_xlabel(), eje.xaxis), ("y", eje.get_ylabel(), eje.yaxis)):
            if not rotulo.strip() and not _marcas_son_nombres(eje_xy):
                faltas.append(f"{nombre}: eje {letra} sin rótulo")
    return faltas


def instalar():
    """Envuelve plt.show para revisar las figuras nuevas antes de mostrarlas."""
    import matplotlib.pyplot as plt

    mostrar_original = plt.show

    def show(*args, **kwargs):
        faltas = []
        for numero in plt.get_fignums():
            fig = plt.figure(numero)
            if getattr(fig, "_revisada_practica3", False):  # marca en la propia figura: se revisa una vez
                continue
            fig._revisada_practica3 = True
            faltas += [f"figura {numero}: {f}" for f in faltas_de_figura(fig)]
        assert not faltas, "Figura incompleta (título y rótulos de ejes):\n" + "\n".join(faltas)
        return mostrar_original(*args, **kwargs)

    plt.show = show


try:  # solo dentro de IPython (el arranque del kernel), no al importarlo desde una prueba
    get_ipython  # noqa: F821
except NameError:
    pass
else:
    instalar()
