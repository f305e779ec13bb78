"""La carga de CIFAR-10 del cuaderno: copia del Hugging Face Hub comprobada y, si falla, keras.datasets.

Las pruebas no tienen red: un servidor HTTP local hace de Hub (el índice de ficheros con tamaño y SHA-256,
como la API de árbol del Hub, y los parquet con las imágenes en PNG). Se ejecutan las celdas del
cuaderno que definen la carga, con ``HUB`` apuntando a ese servidor, y se comprueba que:
- la copia se lee píxel a píxel y etiqueta a etiqueta igual que los arrays de los que se hizo;
- una descarga cortada o corrupta, o con clases incompletas, se detecta y no se usa;
- sin red (puerto cerrado), la copia falla en menos de 5 s y ``keras.datasets.cifar10`` sirve los datos;
- un servidor que acepta la conexión y calla falla en el tiempo de espera, no se queda colgado;
- si fallan las dos fuentes, un único error en español nombra lo que se intentó y qué hacer.
"""

import contextlib
import hashlib
import http.server
import io
import json
import socket
import threading
import time
import urllib.error

import keras
import numpy as np
import pytest

from tests.cuaderno import ejecutar_celdas

REPO = "uoft-cs/cifar10"
POR_CLASE = (6, 2)  # imágenes por clase de la copia de prueba (entrenamiento, test)


def arrays_de_prueba(por_clase, semilla):
    """Imágenes aleatorias uint8 de 32×32×3 y etiquetas (N, 1) equilibradas, en orden barajado."""
    rng = np.random.default_rng(semilla)
    y = rng.permutation(np.repeat(np.arange(10, dtype=np.uint8), por_clase))[:, None]
    return rng.integers(0, 256, (len(y), 32, 32, 3), dtype=np.uint8), y


def parquet(x, y):
    """Bytes de un parquet con el esquema de la copia del Hub: img (struct bytes, path; PNG) y label."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from PIL import Image

    imagenes = []
    for imagen in x:
        png = io.BytesIO()
        Image.fromarray(imagen).save(png, format="PNG")
        imagenes.append({"bytes": png.getvalue(), "path": None})
    salida = io.BytesIO()
    pq.write_table(pa.table({"img": imagenes, "label": y.ravel().astype(np.int64)}), salida)
    return salida.getvalue()


class Hub:
    """Servidor HTTP local con el índice y los dos parquet; `alterar(nombre, bytes)` cambia lo servido."""

    def __init__(self, ficheros):
        self.ficheros = ficheros
        self.alterar = lambda nombre, contenido: contenido
        self.con_lfs = True  # el índice trae el bloque «lfs» (tamaño y SHA-256) de cada fichero
        hub = self

        class Manejador(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path == f"/api/datasets/{REPO}/tree/main/plain_text":
                    lfs = lambda c: {"lfs": {"oid": hashlib.sha256(c).hexdigest(), "size": len(c), "pointerSize": 134}}
                    cuerpo = json.dumps([{"type": "file", "path": f"plain_text/{n}", "size": len(c), "oid": "0" * 40,
                                          **(lfs(c) if hub.con_lfs else {})}
                                         for n, c in hub.ficheros.items()]).encode()
                elif self.path.startswith(f"/datasets/{REPO}/resolve/main/plain_text/"):
                    nombre = self.path.rsplit("/", 1)[-1]
                    cuerpo = hub.alterar(nombre, hub.ficheros[nombre])
                else:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(cuerpo)))
                self.end_headers()
                self.wfile.write(cuerpo)

            def log_message(self, *args):
                pass

        self.servidor = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Manejador)
        self.url = f"http://127.0.0.1:{self.servidor.server_address[1]}"
        threading.Thread(target=self.servidor.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def datos():
    """Los arrays de prueba: ((x_ent, y_ent), (x_test, y_test))."""
    return arrays_de_prueba(POR_CLASE[0], 1), arrays_de_prueba(POR_CLASE[1], 2)


@pytest.fixture(scope="module")
def hub(datos):
    (x_ent, y_ent), (x_test, y_test) = datos
    servidor = Hub({"train-00000-of-00001.parquet": parquet(x_ent, y_ent),
                    "test-00000-of-00001.parquet": parquet(x_test, y_test)})
    yield servidor
    servidor.servidor.shutdown()


@pytest.fixture(scope="module")
def cuaderno():
    """Las celdas de configuración y las de la carga de CIFAR-10 del cuaderno, en modo rápido."""
    with pytest.MonkeyPatch.context() as parche:
        parche.setenv("PRACTICA3_RAPIDO", "1")
        return ejecutar_celdas("def marcar_parte", tambien=("def imprimir", "def comprobar_cifar10",
                                                               "def cifar10_hugging_face", "def cargar_cifar10"))


@pytest.fixture
def espacio(cuaderno, hub):
    hub.alterar = lambda nombre, contenido: contenido
    cuaderno["HUB"] = hub.url
    return cuaderno


@contextlib.contextmanager
def puerto_cerrado():
    """Una URL local en la que nadie escucha: la conexión se rechaza, como sin red."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        puerto = s.getsockname()[1]
    yield f"http://127.0.0.1:{puerto}"


@contextlib.contextmanager
def servidor_mudo():
    """Un puerto que acepta la conexión (el núcleo completa el saludo TCP) y nunca responde."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(8)
        yield f"http://127.0.0.1:{s.getsockname()[1]}"


def test_la_copia_del_hub_es_fiel_a_los_arrays_de_origen(espacio, datos):
    leidos = espacio["cifar10_hugging_face"](POR_CLASE, espera=5)
    for (x, y), (x_origen, y_origen) in zip(leidos, datos):
        assert x.dtype == y.dtype == np.uint8 and y.shape == (len(x), 1)
        np.testing.assert_array_equal(x, x_origen)  # PNG sin pérdidas: los mismos píxeles
        np.testing.assert_array_equal(y, y_origen)  # y las mismas etiquetas, en el mismo orden


@pytest.mark.parametrize("alteracion", ["cortada", "corrupta"])
def test_descarga_cortada_o_corrupta_se_detecta(espacio, hub, alteracion):
    def alterar(nombre, contenido):
        if nombre.startswith("test") and alteracion == "cortada":
            return contenido[: len(contenido) // 2]
        if nombre.startswith("test"):  # un byte cambiado, mismo tamaño
            return contenido[:1000] + bytes([contenido[1000] ^ 0xFF]) + contenido[1001:]
        return contenido

    hub.alterar = alterar
    with pytest.raises(ValueError, match="incompleta o corrupta.*SHA-256"):
        espacio["cifar10_hugging_face"](POR_CLASE, espera=5)


def test_sin_bloque_lfs_se_comprueba_el_tamano(espacio, hub, datos):
    """Un índice sin el bloque «lfs» (sin SHA-256) no hace caer a la descarga lenta: se lee la copia y se comprueba su
    tamaño, el del índice."""
    hub.con_lfs = False
    try:
        leidos = espacio["cifar10_hugging_face"](POR_CLASE, espera=5)
        np.testing.assert_array_equal(leidos[0][0], datos[0][0])
        hub.alterar = lambda nombre, contenido: contenido[: len(contenido) // 2] if nombre.startswith("test") else contenido
        with pytest.raises(ValueError, match="incompleta o corrupta"):
            espacio["cifar10_hugging_face"](POR_CLASE, espera=5)
    finally:
        hub.con_lfs = True


def test_clases_incompletas_se_detectan(espacio):
    with pytest.raises(ValueError, match="CIFAR-10 incompleto"):  # la copia tiene 6 por clase, no 7
        espacio["cifar10_hugging_face"]((POR_CLASE[0] + 1, POR_CLASE[1]), espera=5)
    x, y = arrays_de_prueba(3, 0)
    with pytest.raises(ValueError, match="incompleto"):
        espacio["comprobar_cifar10"](x[1:], y[1:])  # una clase con una imagen menos
    with pytest.raises(ValueError, match="formas o tipos"):
        espacio["comprobar_cifar10"](x.astype(np.float32), y)


def test_sin_red_la_copia_falla_en_segundos_y_keras_sirve_los_datos(espacio, datos, monkeypatch, capsys):
    esperas = []

    def cargador_keras():
        esperas.append(socket.getdefaulttimeout())
        return datos

    monkeypatch.setattr(keras.datasets.cifar10, "load_data", cargador_keras)
    with puerto_cerrado() as url:
        espacio["HUB"] = url
        inicio = time.perf_counter()
        with pytest.raises(urllib.error.URLError):
            espacio["cifar10_hugging_face"]()
        assert time.perf_counter() - inicio < 5
        inicio = time.perf_counter()
        leidos = espacio["cargar_cifar10"]()
        assert time.perf_counter() - inicio < 5
    assert leidos is datos
    assert esperas == [espacio["ESPERA_RED_KERAS"]]  # Keras descarga con tiempo máximo de espera...
    assert socket.getdefaulttimeout() is None         # ...que después se deshace
    salida = capsys.readouterr().out
    assert "No se pudo usar la copia del Hub" in salida and "URLError" in salida
    assert "keras.datasets.cifar10" in salida.splitlines()[-1]


def test_un_servidor_mudo_no_cuelga_la_carga(espacio):
    resultado = []

    def cargar():
        try:
            espacio["cifar10_hugging_face"](POR_CLASE, espera=1)
        except Exception as error:
            resultado.append(error)

    with servidor_mudo() as url:
        espacio["HUB"] = url
        hilo = threading.Thread(target=cargar, daemon=True)  # si se colgara, la prueba falla (no se cuelga)
        hilo.start()
        hilo.join(timeout=5)
        assert not hilo.is_alive(), "la descarga sigue esperando a un servidor que no responde"
    assert len(resultado) == 1 and isinstance(resultado[0], (TimeoutError, urllib.error.URLError))


def test_si_fallan_las_dos_fuentes_un_error_claro(espacio, monkeypatch):
    def cargador_keras():
        raise urllib.error.URLError("timed out")

    monkeypatch.setattr(keras.datasets.cifar10, "load_data", cargador_keras)
    with puerto_cerrado() as url:
        espacio["HUB"] = url
        with pytest.raises(RuntimeError) as error:
            espacio["cargar_cifar10"]()
    mensaje = str(error.value)
    assert mensaje.startswith("No se pudo obtener CIFAR-10. Se intentó:")
    assert "copia del Hugging Face Hub (uoft-cs/cifar10): URLError" in mensaje
    assert "keras.datasets.cifar10 (servidor original): URLError" in mensaje
    assert "Qué hacer:" in mensaje and "conexión a internet" in mensaje
    assert socket.getdefaulttimeout() is None


def test_keras_con_datos_desequilibrados_no_se_usa(espacio, datos, monkeypatch):
    (x, y), prueba = datos
    monkeypatch.setattr(keras.datasets.cifar10, "load_data", lambda: ((x[1:], y[1:]), prueba))
    with puerto_cerrado() as url:
        espacio["HUB"] = url
        with pytest.raises(RuntimeError, match="keras.datasets.cifar10 .*ValueError: CIFAR-10 incompleto"):
            espacio["cargar_cifar10"]()


def test_con_el_hub_disponible_no_se_llama_a_keras(espacio, datos, monkeypatch, capsys):
    monkeypatch.setattr(keras.datasets.cifar10, "load_data", lambda: pytest.fail("no debía llamarse"))
    monkeypatch.setitem(espacio, "CIFAR_POR_CLASE", POR_CLASE)
    # cargar_cifar10 llama a cifar10_hugging_face() con sus valores por defecto, fijados al definirla
    monkeypatch.setattr(espacio["cifar10_hugging_face"], "__defaults__", (POR_CLASE, 5))
    (x, y), _ = espacio["cargar_cifar10"]()
    np.testing.assert_array_equal(x, datos[0][0])
    assert "copia del Hugging Face Hub" in capsys.readouterr().out
