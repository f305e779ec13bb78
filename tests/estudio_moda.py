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

Con ``parches a,b:bn|sinbn:épocas ...`` (p. ej. ``parches 48,96:bn:30``) mide una U-Net más barata que no está en el
cuaderno: trabaja a media resolución, como FFDNet (Zhang, Zuo y Zhang, 2018), con una convolución 2×2 de paso 2 a la
entrada (cada bloque de 2×2 píxeles pasa a `a` canales), los niveles 14×14 (`a`) y 7×7 (`b`), con o sin BN, y una
convolución traspuesta 2×2 a la salida; sin convoluciones a 28×28. Mismo entrenamiento que la U-Net del cuaderno.

Con ``recortes lado:k:épocas[:lote] ...`` (p. ej. ``recortes 16:5:30 16:5:30:256``) mide la U-Net del cuaderno
entrenada con recortes aleatorios de lado×lado píxeles, como DnCNN (Zhang et al., 2017), y evaluada con las imágenes
enteras: `k` recortes por imagen, sorteados una vez, y tantas pasadas por ellos que se ven `épocas` × 54 000 recortes
(los mismos pasos que la U-Net del cuaderno con esas épocas si el lote es `AE_LOTE`). Cada imagen cuesta (lado/28)² de
la entera.

Con ``progresivo lado:k:épocas_recortes:épocas_enteras ...`` (p. ej. ``progresivo 16:5:25:5``) mide el
redimensionado progresivo: la misma U-Net entrena primero con recortes (como ``recortes``) y termina con imágenes
enteras, para que vea bordes y siluetas completas antes de evaluarse; un solo decaimiento coseno recorre las dos fases
(Adam empieza de cero en la segunda).

Con ``fijada [n]`` mide la U-Net fijada del cuaderno tal cual (``crear_unet_residual``, ``AE_MEJORADO_EPOCAS``, ruido de
entrenamiento de la capa ``Corromper``): el PSNR de validación de cada época (la pérdida −PSNR de validación), el de
validación al final y, una sola vez, el PSNR y la SSIM de test con el ruido fijo del cuaderno (``SEMILLA`` + 2). Es la
medida del modelo final, no una elección. Con ``n``, solo `n` imágenes de entrenamiento y n/4 de validación (para
probar el guion).
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
    """Espacio del cuaderno con la partición de Fashion-MNIST del cuaderno, el ruido de validación de σ = AE_SIGMA y el
    test sin tocar (``x_moda_test``, uint8: solo lo usa ``fijada``)."""
    ns = espacio_de_estudio()
    (x, y), (x_moda_test, _) = runpy.run_path(str(ARRANQUE))["cargar_fashion_mnist"]()
    xm_ent, xm_val, ym_ent, _ = ns["train_test_split"](ns["preparar_gris"](x), y, test_size=ns["FRACCION_VALIDACION"],
                                                       stratify=y, random_state=ns["SEMILLA"])
    sigma = ns["AE_SIGMA"]
    ruido_val = {sigma: ns["ruido_fijo"](xm_val, sigma, ns["SEMILLA"] + 1)}  # el ruido de validación del cuaderno
    ns.update(xm_ent=xm_ent, xm_val=xm_val, ym_ent=ym_ent, ruido_val=ruido_val, x_moda_test=x_moda_test)
    return ns


def perdidas(ns):
    """Las pérdidas del experimento b del cuaderno, por nombre (las claves de `AE_MEJORADO_PERDIDA`)."""
    return {"MSE": "mse", "BCE": "binary_crossentropy", "MAE": "mae", "−PSNR": ns["perdida_psnr"]}


def entrenar_unet(ns, modelo, epocas):
    """Entrena una U-Net como el cuaderno: pérdida `AE_MEJORADO_PERDIDA`, Adam con decaimiento coseno desde
    `AE_MEJORADO_TASA` a lo largo de todos los pasos y sin parada temprana; devuelve (historia, segundos por época)."""
    pasos = epocas * int(np.ceil(len(ns["xm_ent"]) / ns["AE_LOTE"]))
    tasa = ns["keras"].optimizers.schedules.CosineDecay(ns["AE_MEJORADO_TASA"], pasos)
    return ns["entrenar_ae"](modelo, epocas, perdida=perdidas(ns)[ns["AE_MEJORADO_PERDIDA"]], tasa=tasa, paciencia=None)


def restaurar_val(ns, modelo, espejo=False):
    """Restauración de la validación ruidosa (σ = AE_SIGMA); con `espejo`, la de sus espejos, devuelta a su lado."""
    x_ruido = ns["ruido_val"][ns["AE_SIGMA"]]
    if espejo:
        return modelo.predict(x_ruido[:, :, ::-1], batch_size=1024, verbose=0)[:, :, ::-1]
    return modelo.predict(x_ruido, batch_size=1024, verbose=0)


def psnr_val(ns, restauradas):
    """PSNR medio (dB) de unas restauraciones de la validación."""
    return float(ns["metricas_imagen"](ns["xm_val"], restauradas, ssim=False)["PSNR (dB)"])


def medir_unet(ns, caso, modelo, epocas, volteo=False, **campos):
    """Entrena `modelo` como la U-Net del cuaderno (`entrenar_unet`) e imprime una línea JSON con el caso, `campos`, sus
    parámetros, épocas, PSNR de validación (y, con `volteo`, el del promedio con el espejo) y tiempos."""
    inicio = time.perf_counter()
    _, seg = entrenar_unet(ns, modelo, epocas)
    restauradas = restaurar_val(ns, modelo)  # una sola predicción para las dos medidas
    resultado = {"caso": caso, **campos, "parámetros": modelo.count_params(), "épocas": len(seg),
                 "psnr_val": round(psnr_val(ns, restauradas), 3)}
    if volteo:
        resultado["psnr_val_volteo"] = round(psnr_val(ns, (restauradas + restaurar_val(ns, modelo, espejo=True)) / 2), 3)
    resultado.update(s_por_época=round(float(np.median(seg)), 1), s=round(time.perf_counter() - inicio, 1))
    print("RESULTADO", json.dumps(resultado, ensure_ascii=False), flush=True)


def main_unet(casos):
    """U-Net residual con todo el entrenamiento, una línea por caso 'filtros:épocas'."""
    ns = preparar()
    for caso in casos:
        filtros, epocas = (int(v) for v in caso.split(":"))
        medir_unet(ns, caso, ns["crear_unet_residual"](filtros), epocas, volteo=True)


def crear_unet_parches(ns, anchos, bn):
    """U-Net residual a media resolución (ver el encabezado): entrada 2×2 de paso 2, niveles 14×14 y 7×7, salida
    traspuesta 2×2, corrección sumada a la imagen ruidosa y recortada a [0, 1], como la del cuaderno."""
    keras, layers = ns["keras"], ns["layers"]

    def bloque(x, filtros):  # con BN, el bloque del cuaderno (bloque_ae); sin BN, dos convoluciones 3×3 + ReLU con sesgo
        if bn:
            return ns["bloque_ae"](x, filtros)
        for _ in range(2):
            x = layers.Conv2D(filtros, 3, padding="same", activation="relu")(x)
        return x

    entrada = keras.Input((28, 28, 1), name="ruidosa")
    e1 = bloque(layers.Conv2D(anchos[0], 2, strides=2)(entrada), anchos[0])                  # 14×14
    fondo = bloque(layers.MaxPooling2D(2)(e1), anchos[1])                                   # 7×7
    d1 = bloque(layers.Concatenate()([layers.Conv2DTranspose(anchos[0], 2, strides=2)(fondo), e1]), anchos[0])
    correccion = layers.Conv2DTranspose(1, 2, strides=2, dtype="float32")(d1)               # 14 → 28
    suma = layers.Add(dtype="float32")([entrada, correccion])
    salida = layers.Lambda(lambda t: keras.ops.clip(t, 0.0, 1.0), name="recorte", dtype="float32")(suma)
    return keras.Model(entrada, salida, name="unet_parches")


def main_parches(casos):
    """U-Net a media resolución con todo el entrenamiento, una línea por caso 'a,b:bn|sinbn:épocas'."""
    ns = preparar()
    for caso in casos:
        anchos, normalizacion, epocas = caso.split(":")
        modelo = crear_unet_parches(ns, tuple(int(v) for v in anchos.split(",")), normalizacion == "bn")
        medir_unet(ns, caso, modelo, int(epocas))


def recortes_aleatorios(ns, x, lado, k, semilla):
    """`k` recortes lado×lado de cada imagen de `x` (n, 28, 28, 1), en posiciones al azar (sin volteo)."""
    rng = np.random.default_rng(semilla)
    idx = np.repeat(np.arange(len(x)), k)
    esquinas = rng.integers(0, x.shape[1] - lado + 1, (2, len(idx)))
    return np.stack([x[i, dy:dy + lado, dx:dx + lado] for i, dy, dx in zip(idx, *esquinas)])


def main_recortes(casos):
    """U-Net del cuaderno entrenada con recortes, una línea por caso 'lado:k:épocas[:lote]'."""
    ns = preparar()
    completas, lote_cuaderno = ns["xm_ent"], ns["AE_LOTE"]
    for caso in casos:
        lado, k, epocas, *lote = (int(v) for v in caso.split(":"))
        ns["AE_LOTE"] = lote[0] if lote else lote_cuaderno  # entrenar_ae y entrenar_unet leen el lote de ahí
        ns["xm_ent"] = recortes_aleatorios(ns, completas, lado, k, ns["SEMILLA"])  # entrenar_ae entrena sobre xm_ent
        medir_unet(ns, caso, unet_libre(ns), int(np.ceil(epocas / k)), recortes=len(ns["xm_ent"]))  # épocas: pasadas
    ns["xm_ent"], ns["AE_LOTE"] = completas, lote_cuaderno


def unet_libre(ns):
    """La U-Net del cuaderno con entrada de tamaño libre: se entrena con recortes y se evalúa con 28×28."""
    return ns["keras"].models.clone_model(  # capas nuevas (pesos nuevos), salvo el recorte a [0, 1], que no tiene pesos
        ns["crear_unet_residual"](), input_tensors=ns["keras"].Input((None, None, 1)),
        clone_function=lambda c: c if c.name == "recorte" else c.__class__.from_config(c.get_config()))


def main_progresivo(casos):
    """U-Net del cuaderno con recortes y después imágenes enteras, una línea por caso 'lado:k:ép_recortes:ép_enteras'."""
    ns = preparar()
    keras, completas, lote = ns["keras"], ns["xm_ent"], ns["AE_LOTE"]

    class CosenoDesde(keras.optimizers.schedules.LearningRateSchedule):
        """El decaimiento `base` a partir de su paso `desde` (la segunda fase sigue donde acabó la primera)."""
        def __init__(self, base, desde):
            self.base, self.desde = base, desde

        def __call__(self, paso):
            return self.base(paso + self.desde)

    for caso in casos:
        lado, k, ep_recortes, ep_enteras = (int(v) for v in caso.split(":"))
        recortes = recortes_aleatorios(ns, completas, lado, k, ns["SEMILLA"])
        pasadas = int(np.ceil(ep_recortes / k))
        pasos_1 = pasadas * int(np.ceil(len(recortes) / lote))
        pasos_2 = ep_enteras * int(np.ceil(len(completas) / lote))
        coseno = keras.optimizers.schedules.CosineDecay(ns["AE_MEJORADO_TASA"], pasos_1 + pasos_2)
        perdida, modelo, inicio = perdidas(ns)[ns["AE_MEJORADO_PERDIDA"]], unet_libre(ns), time.perf_counter()
        ns["xm_ent"] = recortes  # entrenar_ae entrena sobre xm_ent
        _, seg_1 = ns["entrenar_ae"](modelo, pasadas, perdida=perdida, tasa=coseno, paciencia=None)
        psnr_1 = psnr_val(ns, restaurar_val(ns, modelo))
        ns["xm_ent"] = completas
        _, seg_2 = ns["entrenar_ae"](modelo, ep_enteras, perdida=perdida, tasa=CosenoDesde(coseno, pasos_1),
                                     paciencia=None)
        print("RESULTADO", json.dumps({"caso": caso, "pasos": [pasos_1, pasos_2], "psnr_val_tras_recortes": round(psnr_1, 3),
                                       "psnr_val": round(psnr_val(ns, restaurar_val(ns, modelo)), 3),
                                       "s_por_época": [round(float(np.median(s)), 1) for s in (seg_1, seg_2)],
                                       "s": round(time.perf_counter() - inicio, 1)}, ensure_ascii=False), flush=True)


def main_fijada(n=None):
    """La U-Net fijada del cuaderno, entrenada como en él; validación por época y al final, y test una vez."""
    ns = preparar()
    xm_test = ns["preparar_gris"](ns["x_moda_test"])  # el test que preparar() ya cargó
    ruido_test = ns["ruido_fijo"](xm_test, ns["AE_SIGMA"], ns["SEMILLA"] + 2)  # el ruido de test del cuaderno
    if n:
        ns["xm_ent"], ns["xm_val"] = ns["xm_ent"][:n], ns["xm_val"][:n // 4]
        ns["ruido_val"] = {k: v[:n // 4] for k, v in ns["ruido_val"].items()}
    modelo, inicio = ns["crear_unet_residual"](), time.perf_counter()
    h, seg = entrenar_unet(ns, modelo, ns["AE_MEJORADO_EPOCAS"])
    test = ns["metricas_imagen"](xm_test, modelo.predict(ruido_test, batch_size=1024, verbose=0))
    print("RESULTADO", json.dumps({"caso": "fijada", "n_entrenamiento": len(ns["xm_ent"]), "épocas": len(seg),
                                   "psnr_val_por_época": [round(-float(v), 3) for v in h["val_loss"]],
                                   "psnr_val": round(psnr_val(ns, restaurar_val(ns, modelo)), 3),
                                   "psnr_test": round(float(test["PSNR (dB)"]), 3), "ssim_test": round(float(test["SSIM"]), 4),
                                   "s_por_época": round(float(np.median(seg)), 1), "s": round(time.perf_counter() - inicio, 1)},
                                  ensure_ascii=False), flush=True)


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
    elif sys.argv[1:2] == ["parches"]:
        main_parches(sys.argv[2:])
    elif sys.argv[1:2] == ["recortes"]:
        main_recortes(sys.argv[2:])
    elif sys.argv[1:2] == ["progresivo"]:
        main_progresivo(sys.argv[2:])
    elif sys.argv[1:2] == ["fijada"]:
        main_fijada(*(int(n) for n in sys.argv[2:3]))
    else:
        main([int(n) for n in sys.argv[1:]])
