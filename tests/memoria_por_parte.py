"""Pico de memoria (RSS) de cada parte del cuaderno en modo completo, en un solo proceso, como un kernel de Colab.

Es una medición, no una prueba. Ejecuta las celdas como ``tests/ejecutar_como_script.py`` (con los
datos de ``PRACTICA3_DATOS``) y, cada ``INTERVALO`` segundos, anota la RSS del proceso y la de sus hijos
(los trabajadores de ``GridSearchCV(n_jobs=-1)`` cuentan en la memoria de Colab).

Para que quepa en una CPU, cada época de cada ``fit`` se recorta a ``PASOS_MAX`` lotes (y su validación a
``PASOS_VAL_MAX``), con el número de épocas del modo completo (el análisis que sigue cuenta con él); todo lo demás (datos, modelos, HOG, SVM, predicciones, SSIM, filtros)
es el del modo completo. La memoria la marcan los datos, los modelos y lo que cada ``fit`` deje retenido,
que no dependen del número de lotes; el tiempo que se imprime, en cambio, no vale como duración real.

Uso (datos a escala completa, como Colab):
    mkdir d && ln -s $PWD/../shared/datasets/mnist-completo.npz d/mnist.npz && \
    ln -s $PWD/../shared/datasets/{fashion-mnist,cifar10-train-jpeg.tar.gz} d/
    PRACTICA3_DATOS=d PRACTICA3_CIFAR_JPEG=1 python -m tests.memoria_por_parte

Con ``PRACTICA3_PASOS_MAX`` se cambia el recorte (8 lotes por defecto; la validación, la mitad).
Con ``PRACTICA3_PARTES`` (como en ``tests/ejecutar_como_script.py``) solo se ejecutan la configuración y esas
partes. El pico de cada parte se imprime al terminarla, así que una ejecución cortada conserva lo medido.
"""

import math
import os
import threading
import time

import psutil

from tests import ejecutar_como_script as ecs

PASOS_MAX = int(os.environ.get("PRACTICA3_PASOS_MAX", "8"))  # lotes por época de cada fit
PASOS_VAL_MAX, INTERVALO = max(1, PASOS_MAX // 2), 0.2
GIB = 2**30


def _lotes(datos, lote):
    """Lotes naturales de una época: len() de un PyDataset o ceil(n / lote) de arrays."""
    if datos is None:
        return 0
    if hasattr(datos, "__getitem__") and hasattr(datos, "on_epoch_end"):
        return len(datos)
    x = datos[0] if isinstance(datos, tuple) else datos
    return math.ceil(len(x) / (lote or 32))


def recortar_fit(keras):
    """Sustituye keras.Model.fit por una versión con menos lotes por época (mismos datos, modelos y épocas), y
    compile por una con un lote por ejecución, para que el recorte se cumpla."""
    original = keras.Model.fit

    def fit(self, x=None, y=None, batch_size=None, epochs=1, **kw):
        if _lotes(x, batch_size) > PASOS_MAX:
            kw["steps_per_epoch"] = PASOS_MAX
        if _lotes(kw.get("validation_data"), kw.get("validation_batch_size") or batch_size) > PASOS_VAL_MAX:
            kw["validation_steps"] = PASOS_VAL_MAX
        return original(self, x, y, batch_size=batch_size, epochs=epochs, **kw)

    keras.Model.fit = fit
    compilar = keras.Model.compile

    def compile(self, *args, **kw):
        # Con steps_per_execution = 32, Keras no corta la época en PASOS_MAX lotes: ejecuta el bloque entero de 32
        # (medido: 3 épocas «de 2 lotes» dieron 48 pasos del optimizador). Con 1, el recorte es real.
        kw["steps_per_execution"] = 1
        return compilar(self, *args, **kw)

    keras.Model.compile = compile


def main():
    ecs.arrancar()
    import keras

    recortar_fit(keras)
    proceso, parte, picos = psutil.Process(), ["Configuración"], {}

    def rss():
        hijos = sum(h.memory_info().rss for h in proceso.children(recursive=True) if h.is_running())
        return proceso.memory_info().rss, hijos

    def vigilar():
        while True:
            try:
                propio, hijos = rss()
            except psutil.Error:
                continue
            viejo = picos.get(parte[0], (0, 0))
            picos[parte[0]] = (max(viejo[0], propio), max(viejo[1], propio + hijos))
            time.sleep(INTERVALO)

    threading.Thread(target=vigilar, daemon=True).start()
    espacio = {"__name__": "__main__", "display": ecs._display}
    for i, nombre, codigo in ecs.celdas_elegidas():
        if nombre != parte[0]:
            informar(picos, parte[0])  # la parte anterior ha terminado: su pico ya no cambia
            parte[0] = nombre
        segundos = ecs.ejecutar_celda(i, codigo, espacio)
        print(f"[celda {i}, {nombre}: {segundos:.1f} s, RSS {rss()[0] / GIB:.2f} GiB]", flush=True)
    time.sleep(2 * INTERVALO)
    informar(picos, parte[0])
    print(f"\nRecorte: {PASOS_MAX} lotes por época ({PASOS_VAL_MAX} de validación). Máquina: {os.cpu_count()} núcleos.")
    print(f"{'parte':30s} {'pico RSS proceso (GiB)':>24s} {'pico con hijos (GiB)':>22s}")
    for nombre, (propio, total) in picos.items():
        print(f"{nombre:30s} {propio / GIB:24.2f} {total / GIB:22.2f}")


def informar(picos, nombre):
    """Imprime el pico de una parte en cuanto termina (una ejecución cortada conserva lo medido)."""
    if nombre in picos:
        propio, total = picos[nombre]
        print(f"[pico de {nombre}: proceso {propio / GIB:.2f} GiB, con hijos {total / GIB:.2f} GiB]", flush=True)


if __name__ == "__main__":
    main()
