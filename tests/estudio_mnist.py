"""Estudios a escala completa que fijaron el procedimiento de la LeNet (1.1) y la receta de la CNN mejorada (1.3).

Es una medición, no una prueba. Usa las funciones del propio cuaderno (``entrenar_lenet``, ``entrenar_mnist``,
``LotesAumentados``, ``entrenar``) sobre el MNIST de ``mnist-completo.npz``: sus 50 000 imágenes de entrenamiento se parten como en el
cuaderno (90 % / 10 % estratificado, semilla ``SEMILLA``: 45 000 / 5 000) y sus otras 10 000 hacen de test.
Las variantes se comparan **en validación**; el test solo se mide para el procedimiento fijado (varias semillas).

Uso: ``python -m tests.estudio_mnist lenet|mnist [variante ...]`` (sin variantes, todas las del estudio). Cada variante imprime una línea
JSON al terminar, para que una ejecución cortada conserve lo medido.

Dos variantes de MNIST no cambian la receta sino la red o su uso: «cabeza 256» sustituye, solo para ella, ``crear_cnn_mnist`` del
cuaderno por ``crear_cnn_cabeza_256`` (mismo tronco, cabeza Flatten → Dense 256 → Dropout 0,4 → Dense 10); «ensamble de 3» entrena la
receta con tres semillas y, tras cada una desde la segunda, imprime la exactitud del promedio de los softmax de las ya entrenadas.
«más ancha 48-96» ejecuta ``crear_cnn_mnist`` del cuaderno con bloques de 48-48 y 96-96 filtros; «aumento fuerte, 24 épocas» cambia
solo para ella ``MNIST_ROTACION``, ``MNIST_TRASLACION`` y ``MNIST_ZOOM`` (0,04 de vuelta, unos 14°; 12 %; 12 %) y entrena 24 épocas.

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
    "sin label smoothing": ({"suavizado": False}, None, 1, False),
    "sin aumento": ({"aumento": False}, None, 1, False),
    "sin Dropout": ({"dropout": False}, None, 1, False),
    "sin BatchNormalization": ({"bn": False}, None, 1, False),
    "24 épocas": ({}, 24, 1, True),
    "cabeza 256": ({}, None, 1, True),  # con la red de CONSTRUCTORES_MNIST
    "ensamble de 3": ({}, None, 3, True),  # una de ENSAMBLES
    "aumento fuerte, 24 épocas": ({}, 24, 1, True),  # con las constantes de CONSTANTES_MNIST
    "más ancha 48-96": ({}, None, 1, True),  # con la red de CONSTRUCTORES_MNIST
    "submuestreo aprendido": ({}, None, 2, True),  # con la red de CONSTRUCTORES_MNIST
    "submuestreo aprendido, 24 épocas": ({}, 24, 1, True),  # ídem
}
MINI = int(os.environ.get("PRACTICA3_ESTUDIO_MINI", 0))  # 0: escala completa
SOFTMAX = os.environ.get("PRACTICA3_ESTUDIO_SOFTMAX")  # carpeta donde guardar los softmax (opcional)


def crear_cnn_cabeza_256(ns, **arquitectura):
    """La CNN del cuaderno (``crear_cnn_mnist`` original) hasta Flatten, con otra cabeza: Dense 256 + ReLU → Dropout 0,4 →
    Dense 10 + softmax (float32). La cabeza original (100 → Dropout → 50 → 10) se construye pero no entra en el modelo."""
    keras, layers = ns["keras"], ns["layers"]
    base = ns["_crear_cnn_mnist_original"](**arquitectura)
    plano = next(c for c in base.layers if isinstance(c, layers.Flatten)).output
    x = layers.Dense(256, activation="relu")(plano)
    x = layers.Dropout(0.4)(x)
    return keras.Model(base.inputs, layers.Dense(10, activation="softmax", dtype="float32")(x), name="cnn_mnist_cabeza_256")


def crear_cnn_ancha(ns, **arquitectura):
    """``crear_cnn_mnist`` del cuaderno con bloques de 48-48 y 96-96 filtros en vez de 32-32 y 64-64: el mismo código,
    ejecutado con ese único cambio de texto."""
    fuente = next(f for f in ns["_FUENTES"] if "def crear_cnn_mnist(" in f)
    cambiada = fuente.replace("[[(32, 3), (32, 3)], [(64, 3), (64, 3)]]", "[[(48, 3), (48, 3)], [(96, 3), (96, 3)]]")
    assert cambiada != fuente, "los bloques de crear_cnn_mnist han cambiado en el cuaderno"
    espacio = dict(ns)
    exec(compile(cambiada, "<crear_cnn_mnist ancha>", "exec"), espacio)
    return espacio["crear_cnn_mnist"](**arquitectura)


def crear_cnn_submuestreo_aprendido(ns, bn=True, profunda=True, dropout=True, aumento=True):
    """Otra familia de red (la de Deotte, 2018, para MNIST en Kaggle), con el aumento y el momento de BN del cuaderno:
    dos bloques de tres convoluciones (3×3 válida, 3×3 válida y 5×5 de desplazamiento 2 que sustituye al max pooling,
    cada una con BN y ReLU) de 32 y 64 filtros, con Dropout 0,4 tras cada bloque; una convolución 4×4 válida de 128
    filtros (4×4 → 1×1), Dropout 0,4 y Dense 10. Solo admite la receta completa."""
    assert bn and profunda and dropout and aumento, "variante definida solo para la receta completa"
    keras, layers = ns["keras"], ns["layers"]
    entrada = keras.Input((28, 28, 1))
    x = layers.RandomRotation(ns["MNIST_ROTACION"], fill_mode="constant")(entrada)
    x = layers.RandomTranslation(ns["MNIST_TRASLACION"], ns["MNIST_TRASLACION"], fill_mode="constant")(x)
    x = layers.RandomZoom(ns["MNIST_ZOOM"], fill_mode="constant")(x)
    capa = lambda x, filtros, lado, paso=1, relleno="valid": layers.ReLU()(layers.BatchNormalization(
        momentum=ns["MNIST_MOMENTO_BN"])(layers.Conv2D(filtros, lado, strides=paso, padding=relleno, use_bias=False)(x)))
    for filtros in (32, 64):  # 28 → 26 → 24 → 12; 12 → 10 → 8 → 4
        x = capa(capa(x, filtros, 3), filtros, 3)
        x = layers.Dropout(0.4)(capa(x, filtros, 5, 2, "same"))
    x = layers.Dropout(0.4)(layers.Flatten()(capa(x, 128, 4)))  # 4×4×64 → 1×1×128
    return keras.Model(entrada, layers.Dense(10, activation="softmax", dtype="float32")(x), name="cnn_mnist_deotte")


CONSTRUCTORES_MNIST = {"cabeza 256": crear_cnn_cabeza_256,  # variante: red que sustituye a crear_cnn_mnist
                       "más ancha 48-96": crear_cnn_ancha,
                       "submuestreo aprendido": crear_cnn_submuestreo_aprendido,
                       "submuestreo aprendido, 24 épocas": crear_cnn_submuestreo_aprendido}
CONSTANTES_MNIST = {  # variante: constantes del cuaderno cambiadas solo para ella (aumento: fracciones de vuelta y lado)
    "aumento fuerte, 24 épocas": {"MNIST_ROTACION": 0.04, "MNIST_TRASLACION": 0.12, "MNIST_ZOOM": 0.12}}
ENSAMBLES = {"ensamble de 3"}  # variantes cuyas semillas se promedian (softmax)


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


def main(estudio, nombres):
    ns = espacio_de_estudio()
    (x_ent, x_val, y_ent, y_val), (x_test, y_test) = particion(ns)
    x_ent, x_val, x_test = (ns["preparar_gris"](x) for x in (x_ent, x_val, x_test))  # la partición no cambia
    if MINI:  # prueba rápida: N imágenes, una época
        x_ent, y_ent = x_ent[:MINI], y_ent[:MINI]
        ns["LENET_EPOCAS"] = ns["MNIST_EPOCAS"] = 1
    ns.update(x_val=x_val, y_val=y_val)
    global SEMILLA
    SEMILLA, fijar = int(os.environ.get("PRACTICA3_ESTUDIO_SEMILLA", ns["SEMILLA"])), ns["fijar_semilla"]
    print(f"entrenamiento {len(y_ent)}, validación {len(y_val)}, test {len(y_test)}; LeNet: tasa {ns['LENET_TASA']}, "
          f"coseno {ns['LENET_COSENO']}, ±{ns['LENET_TRASLACION']} px, {ns['LENET_EPOCAS']} épocas; MNIST: "
          f"{ns['MNIST_RECETA']}, {ns['MNIST_EPOCAS']} épocas", flush=True)
    variantes = VARIANTES_LENET if estudio == "lenet" else VARIANTES_MNIST
    for nombre in nombres or list(variantes):
        cambios, epocas, semillas, con_test = variantes[nombre]
        if MINI:
            epocas = 1 if epocas else None
        constructor = CONSTRUCTORES_MNIST.get(nombre) if estudio == "mnist" else None
        if constructor:  # solo para esta variante: entrenar_mnist (mismo espacio ns) construye esta red
            ns["_crear_cnn_mnist_original"] = ns["crear_cnn_mnist"]
            ns["crear_cnn_mnist"] = lambda **arquitectura: constructor(ns, **arquitectura)
        constantes = CONSTANTES_MNIST.get(nombre, {}) if estudio == "mnist" else {}
        originales = {k: ns[k] for k in constantes}
        ns.update(constantes)  # crear_cnn_mnist las lee al construir la red
        softmax_val, softmax_test = [], []  # de cada semilla, para el ensamble
        try:
            for r in range(semillas):
                inicio = time.perf_counter()
                if estudio == "lenet":
                    modelo, h, seg = ns["entrenar_lenet"](x_ent, y_ent, epocas=epocas or ns["LENET_EPOCAS"],
                                                          semilla=ns["SEMILLA"] + r, **cambios)
                else:  # entrenar_mnist llama a fijar_semilla() sin argumento: otra semilla, envolviéndola
                    ns["fijar_semilla"] = lambda semilla=SEMILLA + r, f=fijar: f(semilla)
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
                if nombre in ENSAMBLES:
                    p_val = modelo.predict(x_val, batch_size=1024, verbose=0)
                    fila["val_exactitud_predict"] = round(float((p_val.argmax(1) == y_val).mean()), 4)  # = val_exactitud
                    softmax_val.append(p_val)
                    softmax_test.append(p_test)
                    if SOFTMAX:
                        Path(SOFTMAX).mkdir(parents=True, exist_ok=True)
                        np.savez_compressed(Path(SOFTMAX) / f"{estudio}_{nombre.replace(' ', '_')}_{SEMILLA + r}.npz",
                                            val=p_val, test=p_test)
                print("RESULTADO", json.dumps(fila, ensure_ascii=False), flush=True)
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
            if constructor:
                ns["crear_cnn_mnist"] = ns.pop("_crear_cnn_mnist_original")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
