"""Estudio a escala completa de dos recortes de coste del Ejercicio 2 (issue del presupuesto de tiempo).

Es una medición, no una prueba. Sobre el Fashion-MNIST completo y la partición del cuaderno (``tests.estudio_moda``):

- ``lotes``: la arquitectura indicada con ``AE_EPOCAS`` épocas y distintos lotes y tasas (el coste de sus once
  entrenamientos en la T4 es sobre todo fijo por paso: menos pasos, menos segundos);
- ``unet A-B-C:épocas:bn|sinbn``: una U-Net residual con anchos A, B, C por nivel, con o sin BatchNormalization,
  con la pérdida, la tasa y el decaimiento coseno de la configuración (en la T4 pesa el tráfico de memoria de las
  activaciones a 28×28 y de la BN sin fusionar de Keras 3).

Uso: ``PRACTICA3_DATOS=../shared/datasets python -m tests.estudio_ej2_coste lotes unet 16-64-128:30:sinbn``.
Cada entrenamiento imprime una línea JSON al terminar.
"""

import json
import sys
import time

import numpy as np

from tests.estudio_moda import entrenar_unet, preparar, psnr_val, restaurar_val


def unet(ns, anchos, bn):
    """U-Net residual de dos niveles como la del cuaderno, con anchos por nivel y BN opcional."""
    keras, layers = ns["keras"], ns["layers"]

    def bloque(x, f):
        for _ in range(2):
            x = layers.Conv2D(f, 3, padding="same", use_bias=not bn)(x)
            x = layers.ReLU()(layers.BatchNormalization()(x) if bn else x)
        return x

    a, b, c = anchos
    entrada = keras.Input((28, 28, 1), name="ruidosa")
    e1 = bloque(entrada, a)
    e2 = bloque(layers.MaxPooling2D(2)(e1), b)
    fondo = bloque(layers.MaxPooling2D(2)(e2), c)
    d2 = bloque(layers.Concatenate()([layers.Conv2DTranspose(b, 2, strides=2)(fondo), e2]), b)
    d1 = bloque(layers.Concatenate()([layers.Conv2DTranspose(a, 2, strides=2)(d2), e1]), a)
    suma = layers.Add()([entrada, layers.Conv2D(1, 1)(d1)])
    return keras.Model(entrada, layers.Lambda(lambda t: keras.ops.clip(t, 0.0, 1.0))(suma), name="unet_estudio")


def main(argumentos):
    ns = preparar()
    lote_original = ns["AE_LOTE"]
    i = 0
    while i < len(argumentos):
        caso = argumentos[i]
        if caso == "lotes":
            for lote, tasa in [(128, 1e-3), (512, 1e-3), (512, 2e-3), (256, 1e-3)]:
                ns["AE_LOTE"] = lote
                inicio = time.perf_counter()
                modelo = ns["crear_ae"](nombre="ae_estudio")
                _, seg = ns["entrenar_ae"](modelo, ns["AE_EPOCAS"], tasa=tasa)
                print("RESULTADO", json.dumps({"caso": "indicada", "lote": lote, "tasa": tasa, "épocas": len(seg),
                                               "psnr_val": round(psnr_val(ns, restaurar_val(ns, modelo)), 3),
                                               "s": round(time.perf_counter() - inicio, 1)}), flush=True)
            ns["AE_LOTE"] = lote_original
        elif caso == "unet":
            i += 1
            anchos, epocas, bn = argumentos[i].split(":")
            anchos, epocas = tuple(int(a) for a in anchos.split("-")), int(epocas)
            inicio = time.perf_counter()
            modelo = unet(ns, anchos, bn == "bn")
            h, seg = entrenar_unet(ns, modelo, epocas)
            print("RESULTADO", json.dumps({"caso": "unet", "anchos": anchos, "bn": bn == "bn", "épocas": len(seg),
                                           "parámetros": modelo.count_params(),
                                           "psnr_val": round(psnr_val(ns, restaurar_val(ns, modelo)), 3),
                                           "val_mse": [round(float(v), 6) for v in h["val_mse"]],
                                           "s_por_época": round(float(np.median(seg)), 1),
                                           "s": round(time.perf_counter() - inicio, 1)}), flush=True)
        i += 1


if __name__ == "__main__":
    main(sys.argv[1:])
