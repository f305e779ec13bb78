"""Estudio a escala completa de la receta de CIFAR-10 del cuaderno (airbench94 en Keras, Ejercicio 1.3).

Es una medición, no una prueba. Usa las funciones del propio cuaderno (``entrenar_cifar``, ``predecir_tta``,
``nucleo_blanqueo``…) sobre las 50 000 imágenes JPEG de entrenamiento de ``cifar10-train-jpeg.tar.gz``, partidas
como en el cuaderno (90 % / 10 % estratificado, semilla ``SEMILLA``: 45 000 / 5 000). No hay test: todo se mide en
esa validación (el test oficial se mide fuera del equipo).

Uso: ``PRACTICA3_DATOS=../shared/datasets python -m tests.estudio_cifar [variante ...]`` (sin variantes, la receta final con dos semillas).
La variante ``ablación`` ejecuta la celda de la ablación del cuaderno tal cual (``CIFAR_N_ABLACION`` imágenes,
``CIFAR_EPOCAS_ABLACION`` épocas por fila) sobre esta partición e imprime su tabla y su frase; ``ablación 2-4``
entrena solo las filas 2 a 4 (numeradas desde 1), cada una con la receta acumulada de las anteriores, y da su
validación (así se midieron de nuevo el 2026-12-07, tras corregir el inicializador compartido de ``crear_airbench``). Con
``PRACTICA3_ESTUDIO_N`` se entrena con una submuestra estratificada (para probar el guion deprisa). Cada
entrenamiento imprime una línea JSON al terminar, para que una ejecución cortada conserve lo medido.
"""

import ast
import json
import os
import re
import runpy
import sys
import time
from pathlib import Path

import numpy as np

from tests.estudio_mnist import ablacion, espacio_de_estudio

ARRANQUE = Path(__file__).resolve().parent / "ipython_inicio" / "00_datos_offline.py"  # lector de PRACTICA3_DATOS

# nombre: (cambios respecto a CIFAR_RECETA, épocas (None = CIFAR_EPOCAS), semillas)
VARIANTES = {
    "receta final": ({}, None, 2),
    "sin promedio de pesos": ({"promedio": False}, None, 1),
    "volteo aleatorio": ({"volteo": True}, None, 1),
    "12 épocas": ({}, 12, 1),
}


def preparar(ns, n=None):
    """Carga el JPEG, parte 45 000 / 5 000 y deja en `ns` lo que el cuaderno calcula en sus celdas de datos."""
    (xa, ya), (xb, yb) = runpy.run_path(str(ARRANQUE))["_cifar10_jpeg"]()  # las 50 000, en dos partes
    x, y = np.concatenate([xa, xb]), np.concatenate([ya, yb]).ravel()
    xc_ent, xc_val, yc_ent, yc_val = ns["train_test_split"](x, y, test_size=ns["FRACCION_VALIDACION"], stratify=y,
                                                            random_state=ns["SEMILLA"])
    xc_ent, yc_ent = ns["submuestra_estratificada"](xc_ent, yc_ent, n)
    media, desv = xc_ent.reshape(-1, 3).mean(0) / 255.0, xc_ent.reshape(-1, 3).std(0) / 255.0
    ns["ESCALA_CIFAR"] = (1 / (255.0 * desv)).astype("float32")
    ns["DESPLAZAMIENTO_CIFAR"] = (-media / desv).astype("float32")
    ns.update(xc_ent=xc_ent, yc_ent=yc_ent, xc_val=xc_val, yc_val=yc_val, xc_val_std=ns["estandarizar"](xc_val))
    ns["NUCLEO_BLANQUEO"] = ns["nucleo_blanqueo"](ns["estandarizar"](xc_ent[:ns["CIFAR_N_BLANQUEO"]]))
    return xc_ent, yc_ent


def evaluar_cifar(ns, modelo, nivel_tta):
    """Exactitud de validación del modelo tal como queda tras `fit`, con el nivel de TTA pedido (la del cuaderno)."""
    return float((ns["predecir_tta"](modelo, ns["xc_val_std"], nivel_tta).argmax(1) == ns["yc_val"]).mean())


def filas_ablacion(ns, desde, hasta):
    """Filas `desde`–`hasta` (desde 1) de la ablación de CIFAR-10 del cuaderno, con el `ingredientes_cifar` de su celda
    y la receta acumulada de las filas anteriores; una línea RESULTADO por fila entrenada (la del TTA no entrena)."""
    celda = next(f for f in ns["_FUENTES"] if "ingredientes_cifar = {" in f)
    asignacion = next(n.value for n in ast.parse(celda).body if isinstance(n, ast.Assign)
                      and getattr(n.targets[0], "id", None) == "ingredientes_cifar")
    ingredientes = eval(compile(ast.Expression(asignacion), "<ingredientes_cifar>", "eval"), ns)
    x, y = ns["submuestra_estratificada"](ns["xc_ent"], ns["yc_ent"], ns["CIFAR_N_ABLACION"])
    receta = {}
    for i, (nombre, cambio) in enumerate(ingredientes.items(), 1):
        receta = {**receta, **cambio}
        if desde <= i <= hasta and set(cambio) != {"tta"}:
            inicio = time.perf_counter()
            modelo, h, seg = ns["entrenar_cifar"](receta, x, y, ns["CIFAR_EPOCAS_ABLACION"])
            fila = {"estudio": "cifar", "variante": f"ablación, fila {i}", "fila": nombre, "n_entrenamiento": len(y),
                    "ent_exactitud": round(float(h["accuracy"][-1]), 4),
                    "val_exactitud": round(evaluar_cifar(ns, modelo, receta["tta"]), 4),
                    "s_por_epoca": round(float(np.median(seg[1:] or seg)), 1), "s": round(time.perf_counter() - inicio, 1)}
            print("RESULTADO", json.dumps(fila, ensure_ascii=False), flush=True)


def main(nombres):
    ns = espacio_de_estudio()
    n = int(os.environ["PRACTICA3_ESTUDIO_N"]) if os.environ.get("PRACTICA3_ESTUDIO_N") else None
    x, y = preparar(ns, n)
    print(f"entrenamiento {len(y)}, validación {len(ns['yc_val'])}; receta {ns['CIFAR_RECETA']}, "
          f"{ns['CIFAR_EPOCAS']} épocas, lote {ns['CIFAR_LOTE']}", flush=True)
    for nombre in nombres or list(VARIANTES):
        if nombre == "ablación":
            ablacion(ns, "ingredientes_cifar = {", "cifar", "ablacion_cifar", "yc_abl")
            continue
        if rango := re.fullmatch(r"ablación (\d+)-(\d+)", nombre):
            filas_ablacion(ns, int(rango.group(1)), int(rango.group(2)))
            continue
        cambios, epocas, semillas = VARIANTES[nombre]
        for r in range(semillas):
            inicio = time.perf_counter()
            modelo, h, seg = ns["entrenar_cifar"]({**ns["CIFAR_RECETA"], **cambios}, x, y, epocas or ns["CIFAR_EPOCAS"],
                                                  semilla=ns["SEMILLA"] + r)
            fila = {"estudio": "cifar", "variante": nombre, "semilla": ns["SEMILLA"] + r, "épocas": len(seg),
                    "n_entrenamiento": len(y), "ent_exactitud": round(float(h["accuracy"][-1]), 4),
                    "val_exactitud_fit": round(float(h["val_accuracy"][-1]), 4),
                    **{f"val_tta{nivel}": round(evaluar_cifar(ns, modelo, nivel), 4) for nivel in (0, 1, 2)},
                    "s_por_epoca": round(float(np.median(seg[1:] or seg)), 1), "s": round(time.perf_counter() - inicio, 1)}
            print("RESULTADO", json.dumps(fila, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
