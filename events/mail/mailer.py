"""SMTP delivery over one reused aiosmtplib connection, with errors sorted into retry or not."""

from __future__ import annotations

from types import TracebackType

import aiosmtplib

from events.lib.settings import SmtpSettings, SmtpTls
from events.mail.building import Envelope


class TemporaryDeliveryError(Exception):
    """Worth trying again later: the server is down, busy, or answered 4xx."""


class ServerUnavailableError(TemporaryDeliveryError):
    """No connection could be made: every other message waiting now would fail the same way."""


class PermanentDeliveryError(Exception):
    """Trying again will not help: the server refused the message or recipient with 5xx."""


def classify(error: Exception) -> Exception:
    """Map an aiosmtplib error to a temporary or permanent delivery error."""
    if isinstance(error, aiosmtplib.SMTPRecipientsRefused):
        codes = [refusal.code for refusal in error.recipients]
        text = "; ".join(f"{r.code} {r.message}" for r in error.recipients)
        if codes and all(code >= 500 for code in codes):
            return PermanentDeliveryError(text)
        return TemporaryDeliveryError(text)
    if isinstance(error, aiosmtplib.SMTPResponseException) and not isinstance(
        error, aiosmtplib.SMTPConnectResponseError
    ):
        kind = PermanentDeliveryError if error.code >= 500 else TemporaryDeliveryError
        return kind(f"{error.code} {error.message}")
    if isinstance(error, ValueError):
        # Raised before the server saw it (an address or header it cannot encode): no retry
        # will change that.
        return PermanentDeliveryError(f"{type(error).__name__}: {error}")
    return TemporaryDeliveryError(f"{type(error).__name__}: {error}")


class SmtpConnection:
    """Opens the connection on first use and reopens it after the server dropped it."""

    def __init__(self, settings: SmtpSettings) -> None:
        self._settings = settings
        self._client: aiosmtplib.SMTP | None = None

    def _new_client(self) -> aiosmtplib.SMTP:
        tls = self._settings.tls
        return aiosmtplib.SMTP(
            hostname=self._settings.host,
            port=self._settings.port,
            username=self._settings.user,
            password=self._settings.password,
            use_tls=tls is SmtpTls.TLS,
            # None would upgrade whenever the server offers STARTTLS; say exactly what we mean.
            start_tls=tls is SmtpTls.STARTTLS,
            timeout=self._settings.timeout_seconds,
        )

    async def send(self, message: Envelope) -> None:
        client = self._client
        if client is None or not client.is_connected:
            client = await self._connect()
        try:
            await client.sendmail(message.sender, message.recipients, message.data)
        except (aiosmtplib.SMTPException, OSError, TimeoutError, ValueError) as error:
            if isinstance(error, aiosmtplib.SMTPServerDisconnected | OSError | TimeoutError):
                await self.close()
            else:
                await self._reset(client)
            raise classify(error) from error

    async def _reset(self, client: aiosmtplib.SMTP) -> None:
        """End the failed transaction, so that the next message starts clean rather than
        getting "503 nested MAIL command"; a connection that cannot even do that is dropped."""
        try:
            await client.rset()
        except (aiosmtplib.SMTPException, OSError, TimeoutError):
            self._client = None
            client.close()

    async def _connect(self) -> aiosmtplib.SMTP:
        client = self._new_client()
        try:
            await client.connect()
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as error:
            client.close()
            raise ServerUnavailableError(f"{type(error).__name__}: {error}") from error
        self._client = client
        return client

    async def close(self) -> None:
        client, self._client = self._client, None
        if client is not None and client.is_connected:
            try:
                await client.quit()
            except (aiosmtplib.SMTPException, OSError, TimeoutError):
                client.close()

    async def __aenter__(self) -> SmtpConnection:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()
