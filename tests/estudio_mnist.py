"""Estudios a escala completa que fijaron el procedimiento de la LeNet (1.1) y la receta de la CNN mejorada (1.3).

Es una medición, no una prueba. Usa las funciones del propio cuaderno (``entrenar_lenet``, ``entrenar_mnist``,
``LotesAumentados``, ``entrenar``) sobre el MNIST de ``mnist-completo.npz``: sus 50 000 imágenes de entrenamiento se parten como en el
cuaderno (90 % / 10 % estratificado, semilla ``SEMILLA``: 45 000 / 5 000) y sus otras 10 000 hacen de test.
Las variantes se comparan **en validación**; el test solo se mide para el procedimiento fijado (varias semillas).

Uso: ``python -m tests.estudio_mnist lenet|mnist [variante ...]`` (sin variantes, todas las del estudio). Cada variante imprime una línea
JSON al terminar, para que una ejecución cortada conserve lo medido.

Desde el 2026-12-07 la red final del cuaderno es la de submuestreo aprendido (Deotte, 2018), 24 épocas. Las variantes
«receta anterior», «cabeza 256» y «más ancha 48-96» construyen, solo para ellas, la red final hasta esa fecha
(``crear_cnn_anterior``: bloques 32-32 y 64-64 con *max pooling*, Dense 100 → Dropout 0,3 → Dense 50 → Dense 10; 15 épocas):
la misma, con la cabeza Flatten → Dense 256 → Dropout 0,4 → Dense 10, o con bloques de 48-48 y 96-96 filtros. Las demás
cambian la receta actual. «ensamble de 3» entrena la receta con tres semillas y, tras cada una desde la segunda, imprime la
exactitud del promedio de los softmax de las ya entrenadas; «aumento fuerte, 24 épocas» cambia solo para ella
``MNIST_ROTACION``, ``MNIST_TRASLACION`` y ``MNIST_ZOOM`` (0,04 de vuelta, unos 14°; 12 %; 12 %). «ablación» ejecuta la
celda de la ablación del cuaderno tal cual (``MNIST_N_ABLACION`` imágenes, ``MNIST_EPOCAS_ABLACION`` épocas por fila)
sobre esta partición e imprime su tabla y su frase. «receta con TTA» y «15 épocas, ensamble de 2 y TTA» miden además
el aumento en test (``softmax_tta``: la imagen y sus cuatro desplazamientos de 1 px) de cada modelo y del conjunto.

Prueba rápida: con ``PRACTICA3_ESTUDIO_MINI=N`` se entrena con las N primeras imágenes de entrenamiento y una sola época (validación y
test, completos). Sin esa variable, nada cambia. Con ``PRACTICA3_ESTUDIO_SEMILLA=S`` (solo MNIST), las semillas empiezan
en S en vez de en ``SEMILLA``. Con ``PRACTICA3_ESTUDIO_SOFTMAX=carpeta`` se guardan los softmax de validación y
test de cada modelo (``.npz``).
"""

import json
import os
import sys
import time
from pathlib import Path

import numpy as np

from tests.presupuesto_t4 import cargar_cuaderno

DATOS = Path(os.environ.get("PRACTICA3_MNIST_COMPLETO", Path(__file__).resolve().parents[2] / "shared/datasets/mnist-completo.npz"))

# nombre: (cambios respecto a la configuración del cuaderno, épocas, semillas, ¿medir test?)
VARIANTES_LENET = {
    "fijado": ({}, None, 3, True),
    "tasa 1e-3": ({"tasa": 1e-3}, None, 1, False),
    "tasa 1e-2": ({"tasa": 1e-2}, None, 1, False),
    "tasa constante": ({"coseno": False}, None, 1, False),
    "sin aumento": ({"traslacion": 0}, None, 1, False),
    "±3 px": ({"traslacion": 3}, None, 1, False),
    "10 épocas": ({}, 10, 1, False),
    "30 épocas": ({}, 30, 1, False),
}
# CNN mejorada de MNIST: cambios respecto a MNIST_RECETA (épocas None = MNIST_EPOCAS).
VARIANTES_MNIST = {
    "receta final": ({}, None, 2, True),
    "receta, una semilla": ({}, None, 1, True),  # con PRACTICA3_ESTUDIO_SEMILLA, otra semilla
    "sin label smoothing": ({"suavizado": False}, None, 1, False),
    "sin aumento": ({"aumento": False}, None, 1, False),
    "sin Dropout": ({"dropout": False}, None, 1, False),
    "sin BatchNormalization": ({"bn": False}, None, 1, False),
    "15 épocas": ({}, 15, 1, True),
    "ensamble de 3": ({}, None, 3, True),  # una de ENSAMBLES
    "aumento fuerte, 24 épocas": ({}, 24, 1, True),  # con las constantes de CONSTANTES_MNIST
    "receta anterior": ({}, 15, 1, True),  # con la red de CONSTRUCTORES_MNIST (y su Dropout de 0,3)
    "cabeza 256": ({}, 15, 1, True),  # ídem
    "más ancha 48-96": ({}, 15, 1, True),  # ídem
    "15 épocas, ensamble de 2 y TTA": ({}, 15, 2, True),  # en ENSAMBLES y en TTA
    "receta con TTA": ({}, None, 1, True),  # en TTA
}
MINI = int(os.environ.get("PRACTICA3_ESTUDIO_MINI", 0))  # 0: escala completa
SOFTMAX = os.environ.get("PRACTICA3_ESTUDIO_SOFTMAX")  # carpeta donde guardar los softmax (opcional)


def crear_cnn_anterior(ns, bn=True, profunda=True, dropout=True, aumento=True, anchos=(32, 64), cabeza=None):
    """La red final de MNIST del cuaderno hasta el 2026-12-07 (receta completa): aumento; dos bloques de dos convoluciones
    3×3 `same` (sin sesgo → BN → ReLU) con ``anchos`` filtros y *max pooling* 2×2; Flatten → Dense 100 + ReLU → Dropout
    0,3 → Dense 50 + ReLU → Dense 10 (384 828 parámetros). Con ``cabeza`` = 256: Flatten → Dense 256 + ReLU → Dropout
    0,4 → Dense 10."""
    assert bn and profunda and dropout and aumento, "variante definida solo para la receta completa"
    keras, layers = ns["keras"], ns["layers"]
    entrada = keras.Input((28, 28, 1))
    x = layers.RandomRotation(ns["MNIST_ROTACION"], fill_mode="constant")(entrada)
    x = layers.RandomTranslation(ns["MNIST_TRASLACION"], ns["MNIST_TRASLACION"], fill_mode="constant")(x)
    x = layers.RandomZoom(ns["MNIST_ZOOM"], fill_mode="constant")(x)
    for filtros in anchos:
        for _ in range(2):
            x = layers.Conv2D(filtros, 3, padding="same", use_bias=False)(x)
            x = layers.ReLU()(layers.BatchNormalization(momentum=ns["MNIST_MOMENTO_BN"])(x))
        x = layers.MaxPooling2D(2)(x)
    x = layers.Flatten()(x)
    if cabeza:
        x = layers.Dropout(0.4)(layers.Dense(cabeza, activation="relu")(x))
    else:
        x = layers.Dropout(0.3)(layers.Dense(100, activation="relu")(x))
        x = layers.Dense(50, activation="relu")(x)
    return keras.Model(entrada, layers.Dense(10, activation="softmax", dtype="float32")(x), name="cnn_mnist_anterior")


CONSTRUCTORES_MNIST = {  # variante: red que sustituye a crear_cnn_mnist
    "receta anterior": crear_cnn_anterior,
    "cabeza 256": lambda ns, **arquitectura: crear_cnn_anterior(ns, cabeza=256, **arquitectura),
    "más ancha 48-96": lambda ns, **arquitectura: crear_cnn_anterior(ns, anchos=(48, 96), **arquitectura)}
CONSTANTES_MNIST = {  # variante: constantes del cuaderno cambiadas solo para ella (aumento: fracciones de vuelta y lado)
    "aumento fuerte, 24 épocas": {"MNIST_ROTACION": 0.04, "MNIST_TRASLACION": 0.12, "MNIST_ZOOM": 0.12}}
ENSAMBLES = {"ensamble de 3", "15 épocas, ensamble de 2 y TTA"}  # variantes cuyas semillas se promedian (softmax)
TTA = {"15 épocas, ensamble de 2 y TTA", "receta con TTA"}  # variantes que miden además el aumento en test
DESPLAZAMIENTOS_TTA = [(0, 1), (0, -1), (1, 0), (-1, 0)]  # (filas, columnas) de las vistas desplazadas 1 px


def desplazar(x, dy, dx):
    """Imágenes (n, alto, ancho, canales) desplazadas dy filas y dx columnas; lo que entra es 0 (el fondo de MNIST)."""
    alto, ancho, salida = x.shape[1], x.shape[2], np.zeros_like(x)
    salida[:, max(dy, 0):alto + min(dy, 0), max(dx, 0):ancho + min(dx, 0)] = \
        x[:, max(-dy, 0):alto + min(-dy, 0), max(-dx, 0):ancho + min(-dx, 0)]
    return salida


def softmax_tta(modelo, x, p):
    """Dos TTA de un modelo cuyo softmax sin aumento es `p`: la media de `p` y de sus cuatro vistas desplazadas 1 px
    (pesos iguales), y la media con peso 1/2 para la imagen y 1/8 para cada vista (como el TTA de airbench94)."""
    vistas = np.mean([modelo.predict(desplazar(x, dy, dx), batch_size=1024, verbose=0) for dy, dx in DESPLAZAMIENTOS_TTA], 0)
    return {"tta5": (p + 4 * vistas) / 5, "tta_mitad": (p + vistas) / 2}


def espacio_de_estudio():
    """Configuración y funciones del cuaderno para entrenar en esta CPU (sin precisión mixta, con determinismo)."""
    ns = cargar_cuaderno()
    ns["GPU"] = None  # en esta CPU, sin la precisión mixta que cargar_cuaderno activa para la T4
    import tensorflow as tf
    tf.config.experimental.enable_op_determinism()
    ns["PASOS_PARTES"] = {"estudio": 0}  # lo suma `entrenar` (asignación de una celda que no se ejecuta aquí)
    return ns


def particion(ns):
    """(x_ent, x_val, y_ent, y_val), (x_test, y_test) de ``mnist-completo.npz`` en uint8, con la partición del
    cuaderno (``FRACCION_VALIDACION`` estratificada, semilla ``SEMILLA``); la comparten los estudios de MNIST."""
    d = np.load(DATOS)
    return (ns["train_test_split"](d["x_train"], d["y_train"], test_size=ns["FRACCION_VALIDACION"],
                                   stratify=d["y_train"], random_state=ns["SEMILLA"]), (d["x_test"], d["y_test"]))


def ablacion(ns, marca, estudio, tabla, etiquetas):
    """La celda de ablación del cuaderno que contiene `marca` (MNIST o CIFAR-10), ejecutada tal cual en `ns`; imprime su
    tabla, su frase y una línea JSON con las filas de la variable `tabla` y el tamaño de `etiquetas` (las del cuaderno)."""
    codigo = next(f for f in ns["_FUENTES"] if marca in f)
    ns["mostrar_tabla"] = lambda tabla, *a, **k: print(tabla.to_string(), flush=True)
    ns["mostrar_md"] = lambda texto: print(texto, flush=True)
    inicio = time.perf_counter()
    exec(compile(codigo, "<ablación del cuaderno>", "exec"), ns)
    print("RESULTADO", json.dumps({"estudio": estudio, "variante": "ablación", "n_entrenamiento": len(ns[etiquetas]),
                                   "filas": ns[tabla].round(4).to_dict("records"),
                                   "s": round(time.perf_counter() - inicio, 1)}, ensure_ascii=False), flush=True)


def main(estudio, nombres):
    ns = espacio_de_estudio()
    (x_ent, x_val, y_ent, y_val), (x_test, y_test) = particion(ns)
    x_ent, x_val, x_test = (ns["preparar_gris"](x) for x in (x_ent, x_val, x_test))  # la partición no cambia
    if MINI:  # prueba rápida: N imágenes, una época
        x_ent, y_ent = x_ent[:MINI], y_ent[:MINI]
        ns["LENET_EPOCAS"] = ns["MNIST_EPOCAS"] = 1
        ns.update(MNIST_EPOCAS_ABLACION=1, MNIST_N_ABLACION=min(ns["MNIST_N_ABLACION"], MINI // 2))
    ns.update(x_val=x_val, y_val=y_val)
    global SEMILLA
    SEMILLA = int(os.environ.get("PRACTICA3_ESTUDIO_SEMILLA", ns["SEMILLA"]))
    print(f"entrenamiento {len(y_ent)}, validación {len(y_val)}, test {len(y_test)}; LeNet: tasa {ns['LENET_TASA']}, "
          f"coseno {ns['LENET_COSENO']}, ±{ns['LENET_TRASLACION']} px, {ns['LENET_EPOCAS']} épocas; MNIST: "
          f"{ns['MNIST_RECETA']}, {ns['MNIST_EPOCAS']} épocas", flush=True)
    variantes = VARIANTES_LENET if estudio == "lenet" else VARIANTES_MNIST
    for nombre in nombres or list(variantes):
        if estudio == "mnist" and nombre == "ablación":
            ns.update(x_ent=x_ent, y_ent=y_ent)
            ablacion(ns, "ingredientes = {", "mnist", "ablacion_mnist", "y_abl")
            continue
        cambios, epocas, semillas, con_test = variantes[nombre]
        if MINI:
            epocas = 1 if epocas else None
        # Solo para esta variante, en el espacio ns que usa entrenar_mnist: constantes (crear_cnn_mnist las lee al
        # construir la red) y, si la hay, otra red en lugar de crear_cnn_mnist; se restauran al terminar.
        sustitutos = dict(CONSTANTES_MNIST.get(nombre, {}) if estudio == "mnist" else {})
        constructor = CONSTRUCTORES_MNIST.get(nombre) if estudio == "mnist" else None
        if constructor:
            sustitutos["crear_cnn_mnist"] = lambda **arquitectura: constructor(ns, **arquitectura)
        originales = {k: ns[k] for k in [*sustitutos, "SEMILLA"]}
        ns.update(sustitutos)
        softmax_val, softmax_test = [], []  # de cada semilla, para el ensamble
        tta_val_semillas, tta_test_semillas = [], []  # ídem, con TTA
        try:
            for r in range(semillas):
                inicio = time.perf_counter()
                if estudio == "lenet":
                    modelo, h, seg = ns["entrenar_lenet"](x_ent, y_ent, epocas=epocas or ns["LENET_EPOCAS"],
                                                          semilla=ns["SEMILLA"] + r, **cambios)
                else:  # entrenar_mnist fija la semilla SEMILLA del cuaderno: otra, en su espacio (se restaura al final)
                    ns["SEMILLA"] = SEMILLA + r
                    modelo, h, seg = ns["entrenar_mnist"]({**ns["MNIST_RECETA"], **cambios}, epocas or ns["MNIST_EPOCAS"],
                                                          x_ent, y_ent)
                fila = {"estudio": estudio, "variante": nombre, "semilla": SEMILLA + r, "épocas": len(seg),
                        "parámetros": modelo.count_params(),
                        "val_exactitud": round(float(h["val_accuracy"][-1]), 4),
                        "val_pérdida": round(float(h["val_loss"][-1]), 4),
                        "ent_exactitud": round(float(h["accuracy"][-1]), 4),
                        "s_por_epoca": round(float(np.median(seg[1:] if len(seg) > 1 else seg)), 2),
                        "s": round(time.perf_counter() - inicio, 1)}
                if con_test:
                    p_test = modelo.predict(x_test, batch_size=1024, verbose=0)
                    fila["test_exactitud"] = round(float((p_test.argmax(1) == y_test).mean()), 4)
                if nombre in ENSAMBLES | TTA:
                    p_val = modelo.predict(x_val, batch_size=1024, verbose=0)
                    fila["val_exactitud_predict"] = round(float((p_val.argmax(1) == y_val).mean()), 4)  # = val_exactitud
                    softmax_val.append(p_val)
                    softmax_test.append(p_test)
                    if SOFTMAX:
                        Path(SOFTMAX).mkdir(parents=True, exist_ok=True)
                        np.savez_compressed(Path(SOFTMAX) / f"{estudio}_{nombre.replace(' ', '_')}_{SEMILLA + r}.npz",
                                            val=p_val, test=p_test)
                if nombre in TTA:
                    tta_val, tta_test = softmax_tta(modelo, x_val, p_val), softmax_tta(modelo, x_test, p_test)
                    for clave in tta_val:
                        fila[f"val_exactitud_{clave}"] = round(float((tta_val[clave].argmax(1) == y_val).mean()), 4)
                        fila[f"test_exactitud_{clave}"] = round(float((tta_test[clave].argmax(1) == y_test).mean()), 4)
                    tta_val_semillas.append(tta_val)
                    tta_test_semillas.append(tta_test)
                print("RESULTADO", json.dumps(fila, ensure_ascii=False), flush=True)
                if len(tta_val_semillas) >= 2:  # ensamble con TTA: promedio de los softmax con TTA de cada semilla
                    print("RESULTADO", json.dumps({"estudio": estudio, "variante": nombre, "ensamble_de": len(tta_val_semillas), **{
                        f"{parte}_exactitud_{clave}": round(float((np.mean([t[clave] for t in tta], 0).argmax(1) == y).mean()), 4)
                        for parte, tta, y in (("val", tta_val_semillas, y_val), ("test", tta_test_semillas, y_test))
                        for clave in tta_val_semillas[0]}}, ensure_ascii=False), flush=True)
                if len(softmax_val) >= 2:  # ensamble de las semillas ya entrenadas: promedio de los softmax
                    media_val, media_test = np.mean(softmax_val, axis=0), np.mean(softmax_test, axis=0)
                    print("RESULTADO", json.dumps({
                        "estudio": estudio, "variante": nombre, "ensamble_de": len(softmax_val),
                        "semillas": [SEMILLA + i for i in range(len(softmax_val))],
                        "val_exactitud": round(float((media_val.argmax(1) == y_val).mean()), 4),
                        "test_exactitud": round(float((media_test.argmax(1) == y_test).mean()), 4)},
                        ensure_ascii=False), flush=True)
        finally:
            ns.update(originales)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
