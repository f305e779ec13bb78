"""Estudio a escala completa de HOG + SVM (Ejercicio 1.2): ¿qué PCA y qué C dan la mejor validación con todos los
dígitos, y no solo con los 3 000 de la validación cruzada del cuaderno?

Es una medición, no una prueba. Usa las funciones del cuaderno (``descriptores_hog``, ``svm_hog``) sobre
``mnist-completo.npz``: sus 50 000 dígitos de entrenamiento se parten como en el cuaderno (90 % / 10 %, estratificado,
semilla ``SEMILLA``: 45 000 / 5 000); sus otras 10 000 no se tocan. El HOG es el fijado (``HOG_ELEGIDO``) y se
calcula una vez; cada combinación ajusta PCA + SVM RBF con los 45 000 y mide la exactitud de validación.

Uso: ``python -m tests.estudio_hog [pca:C ...]`` (por defecto, la rejilla de abajo; ``0`` como PCA es sin PCA).
Cada ajuste imprime una línea JSON al terminar.
"""

import json
import sys
import time

from tests.estudio_mnist import particion
from tests.presupuesto_t4 import cargar_cuaderno

REJILLA = [(128, 3.0), (128, 10.0), (128, 30.0), (192, 10.0), (256, 10.0)]


def main(combinaciones):
    ns = cargar_cuaderno()
    (x_ent, x_val, y_ent, y_val), _ = particion(ns)  # la de tests.estudio_mnist: el test no se toca
    inicio = time.perf_counter()
    f_ent, f_val = (ns["descriptores_hog"](x, **ns["HOG_ELEGIDO"]) for x in (x_ent, x_val))
    print(f"HOG {ns['HOG_ELEGIDO']}: {f_ent.shape}, {f_val.shape} en {time.perf_counter() - inicio:.0f} s", flush=True)
    for pca, C in combinaciones or REJILLA:
        inicio = time.perf_counter()
        modelo = ns["svm_hog"](pca or None, C=C).fit(f_ent, y_ent)
        fila = {"pca": pca or None, "C": C, "val_exactitud": round(float(modelo.score(f_val, y_val)), 4),
                "vectores_soporte": int(modelo[-1].n_support_.sum()), "s": round(time.perf_counter() - inicio, 1)}
        print("RESULTADO", json.dumps(fila), flush=True)


if __name__ == "__main__":
    main([(int(a), float(b)) for a, b in (c.split(":") for c in sys.argv[1:])])
