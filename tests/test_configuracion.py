"""La configuración del cuaderno casa con las celdas que la usan (comprobaciones que el cuaderno ya no hace en línea).

- La última fila de cada ablación acumulativa (MNIST y CIFAR-10) es la receta final fijada en la configuración
  (`MNIST_RECETA`, `CIFAR_RECETA`): `veredicto` juzga esa fila como «la elección fijada».
- `AE_SIGMA` está entre los niveles del experimento a (`AE_SIGMAS`): su modelo es la referencia de los experimentos b y c.
Se comprueba en modo completo y en modo rápido, y cada regla se rompe a propósito para ver que la detecta.
"""

import pytest

from tests.cuaderno import ejecutar_celdas, ejecutar_definiciones, leer

ABLACIONES = {"ingredientes": "MNIST_RECETA", "ingredientes_cifar": "CIFAR_RECETA"}  # filas de la ablación: receta final


def receta_acumulada(filas):
    """La receta de la última fila de una ablación (`filas`: su diccionario en el cuaderno): cada fila añade sus cambios
    a la anterior, como en el bucle de la ablación."""
    receta = {}
    for cambio in filas.values():
        receta = {**receta, **cambio}
    return receta


def problemas(espacio):
    """Lo que no casa entre la configuración (`espacio`, tras ejecutar su celda) y las celdas que la usan."""
    ejecutar_definiciones(espacio, set(ABLACIONES))  # los diccionarios de filas, tal como los asigna el cuaderno
    lista = [] if espacio["AE_SIGMA"] in espacio["AE_SIGMAS"] else [f"AE_SIGMA = {espacio['AE_SIGMA']} no está en AE_SIGMAS"]
    for filas, final in ABLACIONES.items():
        receta = receta_acumulada(espacio[filas])
        if receta != espacio[final]:
            lista.append(f"la última fila de {filas} es {receta}, no {final} = {espacio[final]}")
    return lista


@pytest.mark.parametrize("rapido", ["0", "1"])
def test_la_configuracion_casa_con_las_ablaciones_y_el_experimento_a(monkeypatch, rapido):
    monkeypatch.setenv("PRACTICA3_RAPIDO", rapido)
    assert problemas(ejecutar_celdas("MODO_RAPIDO = {")) == []


@pytest.mark.parametrize("viejo, nuevo, detectado", [
    ('"suavizado": True}  # red final', '"suavizado": False}  # red final', "ingredientes es"),
    ('"promedio": True,', '"promedio": False,', "ingredientes_cifar es"),
    ("AE_SIGMAS = [0.1, 0.2,", "AE_SIGMAS = [0.1, 0.25,", "AE_SIGMA = 0.2 no está"),
])
def test_cada_desajuste_se_detecta(monkeypatch, viejo, nuevo, detectado):
    monkeypatch.setenv("PRACTICA3_RAPIDO", "0")
    assert any(viejo in c.source for c in leer().cells), f"el cuaderno ya no contiene {viejo!r}: la prueba no rompería nada"
    encontrados = problemas(ejecutar_celdas("MODO_RAPIDO = {", cambiar=lambda f: f.replace(viejo, nuevo)))
    assert len(encontrados) == 1 and detectado in encontrados[0], encontrados
