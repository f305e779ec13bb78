"""Las piezas de airbench94 del cuaderno (1.3 CIFAR-10) hacen lo que dice su texto.

El cuaderno ya no las comprueba en línea (el lector no necesita esas comprobaciones); se comprueban aquí, con
las definiciones del propio cuaderno y datos aleatorios:
- el sesgo escalado ×8 aprende 64 veces más deprisa con SGD;
- la capa de blanqueo deja los parches con covarianza casi diagonal;
- la inicialización identidad copia la entrada en sus primeros canales;
- el TTA promedia bien el espejo: con imágenes simétricas, nivel 1 = nivel 0, y las probabilidades suman 1.
Cada comprobación se rompe a propósito (sesgo sin escalar, blanqueo sin normalizar, filtro identidad descentrado o con
canales cruzados, TTA sin espejo o con el volteo en otro eje) para ver que la detecta.
"""

import numpy as np
import pytest

from tests.cuaderno import ejecutar_celdas, ejecutar_definiciones

NOMBRES = {"SesgoEscalado", "InicializacionIdentidad", "nucleo_blanqueo", "predecir_tta"}


def definiciones(cambios=()):
    """Espacio con la configuración del cuaderno (modo rápido) y sus definiciones de NOMBRES, con `cambios`
    (viejo, nuevo) aplicados a su código."""
    return ejecutar_definiciones(ejecutar_celdas("def precision_mixta"), NOMBRES, cambios)


@pytest.fixture(autouse=True)
def rapido(monkeypatch):
    monkeypatch.setenv("PRACTICA3_RAPIDO", "1")


def error_identidad(e):
    """Máxima diferencia entre la entrada y los primeros canales de su convolución con la inicialización identidad."""
    keras = e["keras"]
    entrada = np.random.default_rng(0).normal(size=(1, 8, 8, 4)).astype("float32")
    pesos = e["InicializacionIdentidad"]()((3, 3, 4, 6))
    copia = keras.ops.convert_to_numpy(keras.ops.conv(entrada, pesos, padding="same"))
    return float(np.abs(copia[..., :4] - entrada).max())


def error_tta(e):
    """Con imágenes iguales a su espejo: diferencia entre los niveles 0 y 1 del TTA y desvío de la suma de 1."""
    keras = e["keras"]
    keras.utils.set_random_seed(0)
    red = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Conv2D(4, 3), keras.layers.Flatten(),
                            keras.layers.Dense(10, activation="softmax")])
    x = np.random.default_rng(1).normal(size=(10, 32, 32, 3)).astype("float32")
    simetricas = x + x[:, :, ::-1]
    p = {nivel: e["predecir_tta"](red, simetricas, nivel) for nivel in (0, 1, 2)}
    return float(np.abs(p[1] - p[0]).max()), max(float(np.abs(q.sum(1) - 1).max()) for q in p.values())


def razon_sesgo(e):
    """Cuánto más cambia el sesgo efectivo con la escala de la configuración que con escala 1, tras un paso de SGD."""
    keras = e["keras"]

    def paso(escala):  # cambio del sesgo efectivo escala·b tras un paso de SGD (entrada 0, objetivo 1)
        red = keras.Sequential([keras.Input((3,)), e["SesgoEscalado"](escala)])
        red.compile(optimizer=keras.optimizers.SGD(1e-3), loss="mae")
        red.train_on_batch(np.zeros((1, 3)), np.ones((1, 3)))
        return escala * float(keras.ops.convert_to_numpy(red.layers[0].b)[0])

    return paso(e["CIFAR_ESCALA_SESGOS"]) / paso(1.0)


def test_sesgo_escalado_aprende_escala_al_cuadrado_mas_deprisa():
    e = definiciones()
    assert razon_sesgo(e) == pytest.approx(e["CIFAR_ESCALA_SESGOS"] ** 2, rel=1e-3)


def test_sesgo_sin_escalar_se_detecta():
    e = definiciones([("keras.ops.cast(self.escala * self.b, x.dtype)", "keras.ops.cast(self.b, x.dtype)")])
    assert razon_sesgo(e) != pytest.approx(e["CIFAR_ESCALA_SESGOS"] ** 2, rel=1e-3)


def covarianza_blanqueada(e):
    """Covarianza de la salida de la capa de blanqueo (sin los filtros opuestos) sobre imágenes con canales correlados."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(300, 32, 32, 3)).astype("float32")
    x[..., 1] += 0.8 * x[..., 0]  # canales correlacionados, como en las fotos
    nucleo = e["nucleo_blanqueo"](x)
    salida = e["keras"].ops.convert_to_numpy(e["keras"].ops.conv(x[:100], nucleo))
    mitad = salida.reshape(-1, nucleo.shape[-1])[:, :nucleo.shape[-1] // 2]  # la otra mitad son los opuestos
    return mitad.T @ mitad / len(mitad)


def blanqueada(covarianza):
    return np.abs(covarianza - np.diag(np.diag(covarianza))).max() < 0.2 and np.allclose(np.diag(covarianza), 1, atol=0.2)


def test_blanqueo_decorrela_los_parches():
    assert blanqueada(covarianza_blanqueada(definiciones()))


def test_blanqueo_sin_normalizar_se_detecta():
    e = definiciones([("w = autovectores / np.sqrt(autovalores + eps)", "w = autovectores")])
    assert not blanqueada(covarianza_blanqueada(e))


def test_identidad_copia_la_entrada():
    assert error_identidad(definiciones()) < 1e-3  # holgura para TF32 o float16 si algún día corre en una GPU


@pytest.mark.parametrize("cambio", [
    ("w[alto // 2, ancho // 2, np.arange(m)", "w[alto // 2, ancho // 2 - 1, np.arange(m)"),  # descentrado
    ("np.arange(m), np.arange(m)] = 1", "np.arange(m), np.arange(m)[::-1]] = 1"),           # canales cruzados
], ids=["descentrado", "canales cruzados"])
def test_identidad_rota_se_detecta(cambio):
    assert error_identidad(definiciones([cambio])) > 0.1


def error_espejo(e):
    """Con imágenes cualesquiera: diferencia entre el nivel 1 del TTA y la media, calculada aquí, de las
    log-probabilidades de la imagen y de su espejo horizontal (normalizada)."""
    keras = e["keras"]
    keras.utils.set_random_seed(0)
    red = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Conv2D(4, 3), keras.layers.Flatten(),
                            keras.layers.Dense(10, activation="softmax")])
    x = np.random.default_rng(2).normal(size=(10, 32, 32, 3)).astype("float32")
    log_p = lambda z: np.log(red.predict(z, verbose=0))
    media = (log_p(x) + log_p(x[:, :, ::-1])) / 2
    esperada = np.exp(media) / np.exp(media).sum(1, keepdims=True)
    return float(np.abs(e["predecir_tta"](red, x, 1) - esperada).max())


def test_tta_promedia_imagen_y_espejo():
    assert error_espejo(definiciones()) < 1e-5


@pytest.mark.parametrize("cambio", [
    ("log_p(z[:, :, ::-1])", "log_p(z)"),                     # sin espejo
    ("log_p(z[:, :, ::-1])", "log_p(z[:, ::-1])"),             # volteo vertical
], ids=["sin espejo", "vertical"])
def test_tta_sin_el_espejo_correcto_se_detecta(cambio):
    assert error_espejo(definiciones([cambio])) > 1e-3


def test_tta_con_imagenes_simetricas():
    diferencia, suma = error_tta(definiciones())
    assert diferencia < 1e-5 and suma < 1e-5


@pytest.mark.parametrize("cambio", [
    ("log_p(z[:, :, ::-1])", "log_p(z[:, ::-1])"),             # volteo vertical
    ("log_p(z[:, :, ::-1])", "log_p(z[:, :, :, ::-1])"),       # canales al revés
], ids=["vertical", "canales"])
def test_tta_con_el_volteo_equivocado_se_detecta(cambio):
    diferencia, _ = error_tta(definiciones([cambio]))
    assert diferencia > 1e-3
