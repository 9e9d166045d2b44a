"""Which shared server this installation uses: the address in the data folder, the password in
the operating system's credential store (Windows Credential Manager through keyring), never in a file."""
from __future__ import annotations

from sqlalchemy.engine import URL, make_url

from workbench.domain.errors import InvalidInput
from workbench.settings import MACHINE_SERVER, SERVER, SERVER_PASSWORD

KEYRING_SERVICE = SERVER_PASSWORD.service


def _account(url) -> str:
    return f"{url.username}@{url.host}:{url.port or 5432}/{url.database}"


def save_server(address: str) -> str:
    """Remember a PostgreSQL address for this installation; returns it without the password."""
    import keyring
    from keyring.errors import KeyringError

    url = make_url(address if "://" in address else f"postgresql://{address}")
    if url.get_backend_name() != "postgresql" or not url.host or not url.database:
        raise InvalidInput("共享服务器地址应为 postgresql://用户:密码@服务器[:端口]/数据库")
    if url.password:
        try:
            keyring.set_password(KEYRING_SERVICE, _account(url), url.password)
        except KeyringError as problem:
            raise InvalidInput(f"无法把密码存入系统凭据管理器: {problem}") from None
    plain = URL.create(url.drivername, username=url.username, host=url.host, port=url.port, database=url.database,
                       query=url.query).render_as_string(hide_password=False)
    SERVER.write(plain)
    return plain


def configured_server() -> str | None:
    """The remembered server address (this user's, else the one the installer was given for the
    PC) with its password from the credential store, or None."""
    import keyring
    from keyring.errors import KeyringError

    address = SERVER.read() or MACHINE_SERVER.read()
    if address is None:
        return None
    url = make_url(address)
    try:
        password = keyring.get_password(KEYRING_SERVICE, _account(url))
    except KeyringError:
        password = None
    return (url.set(password=password) if password else url).render_as_string(hide_password=False)


def forget_server() -> None:
    """Back to the embedded database: the address and the stored password are removed."""
    import keyring
    from keyring.errors import KeyringError, PasswordDeleteError

    address = SERVER.read()
    if address is not None:
        try:
            keyring.delete_password(KEYRING_SERVICE, _account(make_url(address)))
        except (PasswordDeleteError, KeyringError):
            pass
    SERVER.forget()
