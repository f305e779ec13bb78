"""Arranque de IPython para las pruebas: sirve ``keras.datasets`` sin red.

Solo actúa si la variable de entorno ``PRACTICA3_DATOS`` nombra una carpeta con la
estructura de ``../shared/datasets``. Entonces sustituye ``load_data()`` de
``keras.datasets.mnist``, ``.fashion_mnist`` y ``.cifar10`` por lectores de esos
ficheros, que devuelven exactamente las formas y tipos de los cargadores reales.
Sin la variable no se toca nada y los cargadores reales descargan los datos.

El cuaderno lee CIFAR-10 primero de una copia del Hugging Face Hub y, si falla, de
``keras.datasets.cifar10``. Sin red, resolver ``huggingface.co`` podría tardar lo que el
resolvedor de la máquina quiera (``getaddrinfo`` no obedece al tiempo máximo de los sockets):
el arranque hace que esa resolución falle al instante, como en una máquina sin red, y así el
cuaderno pasa en seguida al cargador de Keras, que sirve estos ficheros.

Con ``PRACTICA3_CIFAR_JPEG=1`` (solo para los experimentos a escala completa en GPU),
CIFAR-10 se lee de ``cifar10-train-jpeg.tar.gz``: las 50 000 imágenes de entrenamiento
se parten de forma estratificada en 45 000 de «train» y 5 000 que hacen de «test».

El cuaderno nunca sabe de este fichero: las pruebas lo instalan como arranque del
kernel mediante ``IPYTHONDIR``; ``tests/ejecutar_como_script.py`` lo ejecuta antes
de las celdas.
"""

import gzip
import os

import numpy as np


def _ruta(nombre):
    """Ruta de ``nombre`` dentro de PRACTICA3_DATOS; error claro si falta."""
    ruta = os.path.join(os.environ["PRACTICA3_DATOS"], nombre)
    if not os.path.exists(ruta):
        raise FileNotFoundError(
            f"Falta el fichero de datos {ruta!r}: PRACTICA3_DATOS="
            f"{os.environ['PRACTICA3_DATOS']!r} debe nombrar una carpeta como ../shared/datasets"
        )
    return ruta


def _npz(nombre):
    with np.load(_ruta(nombre)) as f:
        return (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])


def _idx(nombre):
    """Lee un fichero IDX comprimido (formato original de MNIST / Fashion-MNIST)."""
    with gzip.open(_ruta(nombre), "rb") as f:
        datos = f.read()
    ndim = datos[3]
    forma = tuple(int.from_bytes(datos[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim))
    return np.frombuffer(datos, np.uint8, offset=4 + 4 * ndim).reshape(forma)


def cargar_mnist():
    return _npz("mnist.npz")


def cargar_fashion_mnist():
    base = "fashion-mnist/"
    return ((_idx(base + "train-images-idx3-ubyte.gz"), _idx(base + "train-labels-idx1-ubyte.gz")),
            (_idx(base + "t10k-images-idx3-ubyte.gz"), _idx(base + "t10k-labels-idx1-ubyte.gz")))


def cargar_cifar10():
    if os.environ.get("PRACTICA3_CIFAR_JPEG") == "1":
        return _cifar10_jpeg()
    return _npz("cifar10.npz")


_CLASES_CIFAR = ["airplane", "automobile", "bird", "cat", "deer",
                 "dog", "frog", "horse", "ship", "truck"]


def _cifar10_jpeg(n_val_por_clase=500, semilla=0):
    """Las 50 000 imágenes JPEG; 500 por clase (elegidas con semilla fija) hacen de test."""
    import io
    import tarfile

    from PIL import Image

    ficheros = {}
    with tarfile.open(_ruta("cifar10-train-jpeg.tar.gz")) as tar:
        for miembro in tar:  # en orden: un .tar.gz no admite saltos hacia atrás baratos
            if miembro.isfile() and miembro.name.endswith(".jpg"):
                ficheros[miembro.name] = tar.extractfile(miembro).read()
    x, y = [], []
    for nombre in sorted(ficheros):
        x.append(np.asarray(Image.open(io.BytesIO(ficheros[nombre])).convert("RGB"), dtype=np.uint8))
        y.append(_CLASES_CIFAR.index(nombre.split("/")[-2]))
    x, y = np.stack(x), np.asarray(y, dtype=np.uint8)
    rng = np.random.default_rng(semilla)
    es_test = np.zeros(len(y), bool)
    for c in range(10):
        es_test[rng.choice(np.flatnonzero(y == c), n_val_por_clase, replace=False)] = True
    return (x[~es_test], y[~es_test, None]), (x[es_test], y[es_test, None])


def _sin_red_externa(getaddrinfo):
    """``socket.getaddrinfo`` que falla al instante con los nombres del Hub (sin red, como aquí)."""
    import socket

    def resolver(host, *args, **kwargs):
        nombre = host.decode("ascii") if isinstance(host, bytes) else str(host)
        if nombre == "huggingface.co" or nombre.endswith((".huggingface.co", ".hf.co")):
            raise socket.gaierror(socket.EAI_NONAME, f"sin red en las pruebas: {nombre}")
        return getaddrinfo(host, *args, **kwargs)

    return resolver


if os.environ.get("PRACTICA3_DATOS"):
    import socket

    import keras

    socket.getaddrinfo = _sin_red_externa(socket.getaddrinfo)

    # Los lectores se atan ya (argumento por defecto): IPython ejecuta este arranque en el espacio de nombres
    # del usuario, y el cuaderno define su propio `cargar_cifar10`, que llama a keras.datasets.cifar10.
    keras.datasets.mnist.load_data = lambda *a, _leer=cargar_mnist, **k: _leer()
    keras.datasets.fashion_mnist.load_data = lambda *a, _leer=cargar_fashion_mnist, **k: _leer()
    keras.datasets.cifar10.load_data = lambda *a, _leer=cargar_cifar10, **k: _leer()
