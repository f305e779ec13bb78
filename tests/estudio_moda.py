"""Estudio a escala completa: ¿cambian las conclusiones de los experimentos del Ejercicio 2 al entrenarlos con una
submuestra en vez de con todo el entrenamiento (una forma de recortar su coste)?

Es una medición, no una prueba. Usa las funciones del cuaderno (``crear_ae``, ``entrenar_ae``, ``perdida_psnr``,
``metricas_imagen``) sobre el Fashion-MNIST completo (``PRACTICA3_DATOS``/fashion-mnist, como lo sirven las pruebas),
con la partición del cuaderno (54 000 / 6 000, estratificada, semilla ``SEMILLA``). Repite los experimentos b
(pérdidas) y c (capacidad) con las dos escalas y las épocas de la configuración, y da el PSNR de validación.

Uso: ``PRACTICA3_DATOS=../shared/datasets python -m tests.estudio_moda [n ...]`` (por defecto, 12 000 imágenes y
todo el entrenamiento). Cada entrenamiento imprime una línea JSON al terminar.

Con ``unet filtros:épocas ...`` (p. ej. ``unet 16:20 24:15``) mide en cambio la U-Net residual del experimento d con
todo el entrenamiento, la pérdida, la tasa y el decaimiento coseno de la configuración y la anchura y las épocas
dadas: PSNR de validación sin y con el promedio con el volteo (la parte del coste del Ejercicio 2 que más pesa). El
cuaderno ya no promedia con el volteo (restaba 0,02–0,03 dB): el estudio lo conserva para poder repetir la medida.
"""

import json
import runpy
import sys
import time
from pathlib import Path

import numpy as np

from tests.estudio_mnist import espacio_de_estudio

ARRANQUE = Path(__file__).resolve().parent / "ipython_inicio" / "00_datos_offline.py"  # lector de PRACTICA3_DATOS


def preparar():
    """Espacio del cuaderno con la partición de Fashion-MNIST del cuaderno y el ruido de validación de σ = AE_SIGMA."""
    ns = espacio_de_estudio()
    (x, y), _ = runpy.run_path(str(ARRANQUE))["cargar_fashion_mnist"]()
    xm_ent, xm_val, ym_ent, _ = ns["train_test_split"](ns["preparar_gris"](x), y, test_size=ns["FRACCION_VALIDACION"],
                                                       stratify=y, random_state=ns["SEMILLA"])
    sigma = ns["AE_SIGMA"]
    ruido_val = {sigma: ns["ruido_fijo"](xm_val, sigma, ns["SEMILLA"] + 1)}  # el ruido de validación del cuaderno
    ns.update(xm_ent=xm_ent, xm_val=xm_val, ym_ent=ym_ent, ruido_val=ruido_val)
    return ns


def perdidas(ns):
    """Las pérdidas del experimento b del cuaderno, por nombre (las claves de `AE_MEJORADO_PERDIDA`)."""
    return {"MSE": "mse", "BCE": "binary_crossentropy", "MAE": "mae", "−PSNR": ns["perdida_psnr"]}


def entrenar_unet(ns, modelo, epocas):
    """Entrena una U-Net como el cuaderno: pérdida `AE_MEJORADO_PERDIDA` y Adam con decaimiento coseno desde
    `AE_MEJORADO_TASA` a lo largo de todos los pasos; devuelve (historia, segundos por época)."""
    pasos = epocas * int(np.ceil(len(ns["xm_ent"]) / ns["AE_LOTE"]))
    tasa = ns["keras"].optimizers.schedules.CosineDecay(ns["AE_MEJORADO_TASA"], pasos)
    return ns["entrenar_ae"](modelo, epocas, perdida=perdidas(ns)[ns["AE_MEJORADO_PERDIDA"]], tasa=tasa)


def restaurar_val(ns, modelo, espejo=False):
    """Restauración de la validación ruidosa (σ = AE_SIGMA); con `espejo`, la de sus espejos, devuelta a su lado."""
    x_ruido = ns["ruido_val"][ns["AE_SIGMA"]]
    if espejo:
        return modelo.predict(x_ruido[:, :, ::-1], batch_size=1024, verbose=0)[:, :, ::-1]
    return modelo.predict(x_ruido, batch_size=1024, verbose=0)


def psnr_val(ns, restauradas):
    """PSNR medio (dB) de unas restauraciones de la validación."""
    return float(ns["metricas_imagen"](ns["xm_val"], restauradas, ssim=False)["PSNR (dB)"])


def main_unet(casos):
    """U-Net residual con todo el entrenamiento, una línea por caso 'filtros:épocas'."""
    ns = preparar()
    for caso in casos:
        filtros, epocas = (int(v) for v in caso.split(":"))
        inicio = time.perf_counter()
        modelo = ns["crear_unet_residual"](filtros)
        _, seg = entrenar_unet(ns, modelo, epocas)
        restauradas = restaurar_val(ns, modelo)  # una sola predicción para las dos medidas
        con_volteo = (restauradas + restaurar_val(ns, modelo, espejo=True)) / 2
        print("RESULTADO", json.dumps({"unet_filtros": filtros, "épocas": len(seg), "parámetros": modelo.count_params(),
                                       "psnr_val": round(psnr_val(ns, restauradas), 3),
                                       "psnr_val_volteo": round(psnr_val(ns, con_volteo), 3),
                                       "s_por_época": round(float(np.median(seg)), 1),
                                       "s": round(time.perf_counter() - inicio, 1)}, ensure_ascii=False), flush=True)


def main(tamanos):
    ns = preparar()
    xm_ent, xm_val, ym_ent, ruido_val, sigma = (ns[k] for k in ("xm_ent", "xm_val", "ym_ent", "ruido_val", "AE_SIGMA"))
    crear_ae, entrenar_ae = ns["crear_ae"], ns["entrenar_ae"]
    variantes = {**{nombre: ({}, perdida) for nombre, perdida in perdidas(ns).items()},
                 "cuello estrecho (16, 4)": ({"filtros": (16, 4)}, "mse"), "cuello ancho (16, 32)": ({"filtros": (16, 32)}, "mse"),
                 "más ancha (32, 32)": ({"filtros": (32, 32)}, "mse"), "más profunda": ({"extra": True}, "mse")}
    for n in tamanos or [12_000, None]:  # None: todo el entrenamiento
        x_exp, _ = ns["submuestra_estratificada"](xm_ent, ym_ent, n)
        ns["xm_ent"] = x_exp  # entrenar_ae entrena sobre el global xm_ent
        for nombre, (opciones, perdida) in variantes.items():
            inicio = time.perf_counter()
            modelo = crear_ae(nombre="ae_estudio", **opciones)
            h, seg = entrenar_ae(modelo, ns["AE_EPOCAS_EXPERIMENTO"], perdida=perdida)
            restauradas = modelo.predict(ruido_val[sigma], batch_size=1024, verbose=0)
            metricas = ns["metricas_imagen"](xm_val, restauradas, ssim=False)
            print("RESULTADO", json.dumps({"n": len(x_exp), "variante": nombre, "épocas": len(seg),
                                           "psnr_val": round(float(metricas["PSNR (dB)"]), 3),
                                           "s": round(time.perf_counter() - inicio, 1)}, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["unet"]:
        main_unet(sys.argv[2:])
    else:
        main([int(n) for n in sys.argv[1:]])
