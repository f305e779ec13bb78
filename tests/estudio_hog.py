"""Estudio a escala completa de HOG + SVM (Ejercicio 1.2): ¿qué PCA y qué C dan la mejor validación con todos los
dígitos, y no solo con los 3 000 de la validación cruzada del cuaderno? ¿Qué más podría acercarlo al 99,3 %?

Es una medición, no una prueba. Usa las funciones del cuaderno (``descriptores_hog``, ``enderezar_digitos``,
``svm_hog``) sobre ``mnist-completo.npz``: sus 50 000 dígitos de entrenamiento se parten como en el cuaderno (90 % /
10 %, estratificado, semilla ``SEMILLA``: 45 000 / 5 000); sus otras 10 000 no se tocan. Cada caso ajusta PCA + SVM
RBF con los 45 000 y mide la exactitud de validación.

Uso: ``python -m tests.estudio_hog [caso ...]``; un caso es ``pca:C`` (``0`` como PCA es sin PCA) o el nombre de
una variante de ``VARIANTES`` (sin casos, la rejilla de abajo). Cada caso imprime una línea JSON al terminar.

Las variantes parten de lo fijado (``HOG_ELEGIDO``, ``HOG_PCA``, ``SVM_C``) y cambian una cosa:

- ``vectores virtuales: traslación`` / ``…: rotación``: vectores de soporte virtuales (Schölkopf, Burges y Vapnik,
  1996): se ajusta el SVM, sus vectores de soporte se trasladan ±1 px en las 4 direcciones (o se giran ±8°) después
  de enderezarlos, y se reajusta con los 45 000 más esas copias. Trasladar antes de enderezar no serviría: el
  enderezado vuelve a centrar el dígito.
- ``gamma ×2`` / ``gamma ×0,5``: el ancho del núcleo RBF, respecto a ``gamma="scale"`` tras la PCA.
- ``12 orientaciones`` / ``celdas 3, 4 y 7``: otro descriptor.
- ``HOG + píxeles enderezados (peso p)``: al HOG se le añaden los 784 píxeles del dígito enderezado, escalados para que
  su varianza total sea p veces la del HOG (antes de la PCA, que si no la dominarían los píxeles).
- ``raíz del HOG (Hellinger)`` / ``HOG elevado a 0,3``: cada componente del descriptor (no negativo) elevado a 0,5 o
  0,3 antes de la PCA; con la raíz, el producto escalar de dos descriptores es el núcleo de Hellinger.
"""

import json
import sys
import time

import numpy as np
from scipy import ndimage

from tests.estudio_mnist import particion
from tests.presupuesto_t4 import cargar_cuaderno

REJILLA = [(128, 3.0), (128, 10.0), (128, 30.0), (192, 10.0), (256, 10.0)]
TRASLACIONES = [(1, 0), (-1, 0), (0, 1), (0, -1)]
VARIANTES = {  # nombre: (cambios del HOG, multiplicador de gamma, copias virtuales de un lote de dígitos enderezados)
    "vectores virtuales: traslación": ({}, 1.0, lambda x: [ndimage.shift(x, (0, dy, dx), order=0) for dy, dx in TRASLACIONES]),
    "vectores virtuales: rotación": ({}, 1.0, lambda x: [ndimage.rotate(x, a, axes=(2, 1), reshape=False, order=1)
                                                     for a in (-8, 8)]),
    "gamma ×2": ({}, 2.0, None),
    "gamma ×0,5": ({}, 0.5, None),
    "12 orientaciones": ({"orientaciones": 12}, 1.0, None),
    "celdas 3, 4 y 7": ({"celdas": (3, 4, 7)}, 1.0, None),
}
PIXELES = {"HOG + píxeles enderezados (peso 0,5)": 0.5, "HOG + píxeles enderezados (peso 1)": 1.0,
           "HOG + píxeles enderezados (peso 2)": 2.0}  # varianza total de los píxeles = peso × la del HOG
POTENCIAS = {"raíz del HOG (Hellinger)": 0.5, "HOG elevado a 0,3": 0.3}  # exponente de cada componente del descriptor


def con_pixeles(f, enderezadas, peso, escala=None):
    """Descriptor HOG seguido de los píxeles enderezados (en [0, 1]), escalados para que su varianza total sea `peso`
    veces la del HOG (la escala se calcula con el entrenamiento y se reutiliza en validación)."""
    pixeles = enderezadas.reshape(len(enderezadas), -1) / 255.0
    escala = escala or np.sqrt(peso * f.var(0).sum() / pixeles.var(0).sum())
    return np.concatenate([f, escala * pixeles], axis=1).astype(np.float32), escala


def ajustar(ns, f, y, pca, C, gamma=1.0):
    """PCA + SVM del cuaderno; con `gamma` ≠ 1, el gamma de «scale» (1 / (dimensión · varianza) tras la PCA) × gamma."""
    modelo = ns["svm_hog"](pca, C=C)
    if gamma == 1.0:
        return modelo.fit(f, y)
    z = modelo[:-1].fit_transform(f)  # la PCA se ajusta una sola vez: el SVM se ajusta sobre su salida
    modelo[-1].set_params(gamma=gamma / (z.shape[1] * z.var())).fit(z, y)
    return modelo


def main(casos):
    ns = cargar_cuaderno()
    (x_ent, x_val, y_ent, y_val), _ = particion(ns)  # la de tests.estudio_mnist: el test no se toca
    inicio = time.perf_counter()
    fijado = dict(ns["HOG_ELEGIDO"])
    enderezar = ns["enderezar_digitos"] if fijado["enderezar"] else (lambda x: x)
    enderezadas, val_enderezadas = enderezar(x_ent), enderezar(x_val)  # una vez: las copias virtuales parten de ellas
    hog = lambda x, cambios={}: ns["descriptores_hog"](x, **{**fijado, **cambios, "enderezar": False})
    f_ent, f_val = hog(enderezadas), hog(val_enderezadas)
    print(f"HOG {fijado}: {f_ent.shape}, {f_val.shape} en {time.perf_counter() - inicio:.0f} s", flush=True)
    for caso in casos or [f"{p}:{c}" for p, c in REJILLA]:
        inicio, pca, C = time.perf_counter(), ns["HOG_PCA"], ns["SVM_C"]
        fe, fv, y = f_ent, f_val, y_ent
        if caso in PIXELES:
            fe, escala = con_pixeles(f_ent, enderezadas, PIXELES[caso])
            fv, _ = con_pixeles(f_val, val_enderezadas, PIXELES[caso], escala)
            gamma = 1.0
        elif caso in POTENCIAS:
            fe, fv, gamma = f_ent ** POTENCIAS[caso], f_val ** POTENCIAS[caso], 1.0
        elif caso in VARIANTES:
            cambios, gamma, copias = VARIANTES[caso]
            if cambios:
                fe, fv = hog(enderezadas, cambios), hog(val_enderezadas, cambios)
            if copias:
                soporte = ajustar(ns, fe, y, pca, C)[-1].support_
                virtuales = copias(enderezadas[soporte])
                fe = np.concatenate([fe] + [hog(v) for v in virtuales])
                y = np.concatenate([y] + [y_ent[soporte]] * len(virtuales))
        else:
            pca, C = caso.split(":")
            pca, C, gamma = int(pca) or None, float(C), 1.0
        modelo = ajustar(ns, fe, y, pca, C, gamma)
        fila = {"caso": caso, "pca": pca, "C": C, "imágenes": len(y), "val_exactitud": round(float(modelo.score(fv, y_val)), 4),
                "vectores_soporte": int(modelo[-1].n_support_.sum()), "s": round(time.perf_counter() - inicio, 1)}
        print("RESULTADO", json.dumps(fila, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
