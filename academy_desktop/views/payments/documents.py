"""Receipts and the cash-up as QTextDocuments, written to PDF with QPdfWriter (the same
document the print dialog prints), plus the cash-up as CSV. Text is HTML-escaped."""

from __future__ import annotations

import csv
import datetime as dt
import html
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QMarginsF, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

from academy_desktop.domain.money import CashUpRow, Receipt, currency_decimals
from academy_desktop.models.ledger import METHOD_TEXTS, TYPE_TEXTS, money


def _tr(text: str) -> str:
    return QCoreApplication.translate("PaymentDocuments", text)


def _money(value: Decimal, currency: str) -> str:
    return html.escape(money(value, currency))


def _e(text: object) -> str:
    return html.escape(str(text))


def receipt_document(receipt: Receipt) -> QTextDocument:
    when = (
        receipt.created_at.astimezone()
        if isinstance(receipt.created_at, dt.datetime)
        else receipt.created_at
    )
    rows = "".join(
        f"<tr><td>{_e(line.student_name)}</td><td>{_e(_tr(TYPE_TEXTS[line.entry_type]))}</td>"
        f"<td align='right'>{_money(line.amount, receipt.currency)}</td></tr>"
        for line in receipt.lines
    )
    reference = (
        f"<p>{_e(_tr('Reference'))}: {_e(receipt.reference)}</p>" if receipt.reference else ""
    )
    credit = (
        f"<p>{_e(_tr('Kept as credit'))}: {_money(receipt.credit_amount, receipt.currency)}</p>"
        if receipt.credit_amount
        else ""
    )
    body = f"""
        <h2>{_e(receipt.academy)} — {_e(receipt.location)}</h2>
        <h3>{_e(_tr("Receipt"))} {_e(_tr("No."))} {receipt.receipt_number}</h3>
        <p>{_e(_tr("Date"))}: {_e(QLocale().toString(when, QLocale.FormatType.LongFormat))}</p>
        <p>{_e(_tr("Received from"))}: {_e(receipt.payer)}</p>
        <table width='100%' cellpadding='4' border='0'>
          <tr><th align='left'>{_e(_tr("Student"))}</th><th align='left'>{_e(_tr("Item"))}</th>
              <th align='right'>{_e(_tr("Amount"))}</th></tr>
          {rows}
          <tr><td colspan='2'><b>{_e(_tr("Total paid"))}</b></td>
              <td align='right'><b>{_money(receipt.total, receipt.currency)}</b></td></tr>
        </table>
        {credit}
        <p>{_e(_tr("Method"))}: {_e(_tr(METHOD_TEXTS.get(receipt.method, receipt.method)))}</p>
        {reference}
        <p>{_e(_tr("Taken by"))}: {_e(receipt.staff)}</p>"""
    doc = QTextDocument()
    doc.setHtml(body)
    return doc


def net_text(rows: Sequence[CashUpRow], currency: str) -> str:
    """Net takings per currency ("$120.00"; a location keeps one, older rows may not)."""
    totals: dict[str, Decimal] = {}
    for r in rows:
        totals[r.currency] = totals.get(r.currency, Decimal(0)) + r.net
    return ", ".join(money(v, c) for c, v in sorted(totals.items())) or money(Decimal(0), currency)


def cash_up_document(
    location: str, day: dt.date, rows: Sequence[CashUpRow], currency: str = "USD"
) -> QTextDocument:
    by_method: dict[tuple[str, str], Decimal] = {}
    for r in rows:
        by_method[(r.method, r.currency)] = (
            by_method.get((r.method, r.currency), Decimal(0)) + r.net
        )
    method_rows = "".join(
        f"<tr><td>{_e(_tr(METHOD_TEXTS.get(m, m)))}</td><td align='right'>{_money(v, c)}</td></tr>"
        for (m, c), v in sorted(by_method.items())
    )
    staff_rows = "".join(
        f"<tr><td>{_e(r.staff_name)}</td><td>{_e(_tr(METHOD_TEXTS.get(r.method, r.method)))}</td>"
        f"<td align='right'>{_money(r.received, r.currency)}</td>"
        f"<td align='right'>{_money(r.paid_out, r.currency)}</td>"
        f"<td align='right'>{_money(r.net, r.currency)}</td><td align='right'>{r.entries}</td></tr>"
        for r in rows
    )
    total_text = html.escape(net_text(rows, currency))
    doc = QTextDocument()
    doc.setHtml(f"""
        <h2>{_e(_tr("Cash-up"))} — {_e(location)}</h2>
        <p>{_e(QLocale().toString(day, QLocale.FormatType.LongFormat))}</p>
        <h3>{_e(_tr("By method"))}</h3>
        <table cellpadding='4'>{method_rows}</table>
        <h3>{_e(_tr("By staff member"))}</h3>
        <table width='100%' cellpadding='4'>
          <tr><th align='left'>{_e(_tr("Staff"))}</th><th align='left'>{_e(_tr("Method"))}</th>
              <th align='right'>{_e(_tr("Received"))}</th>
              <th align='right'>{_e(_tr("Paid out"))}</th>
              <th align='right'>{_e(_tr("Net"))}</th>
              <th align='right'>{_e(_tr("Entries"))}</th></tr>
          {staff_rows}
        </table>
        <p><b>{_e(_tr("Total net"))}: {total_text}</b></p>""")
    return doc


def write_pdf(doc: QTextDocument, path: Path, title: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = QPdfWriter(str(path))
    writer.setTitle(title)
    writer.setCreator("Academy Desktop")
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(15, 15, 15, 15),
            QPageLayout.Unit.Millimeter,
        )
    )
    writer.setResolution(300)
    doc.setPageSize(QSizeF(writer.width(), writer.height()))
    doc.print_(writer)
    return path


def write_cash_up_csv(path: Path, location: str, day: dt.date, rows: Sequence[CashUpRow]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(
            [
                "location",
                "day",
                "method",
                "staff_role",
                "staff_name",
                "currency",
                "received",
                "paid_out",
                "net",
                "entries",
            ]
        )
        for r in rows:
            out.writerow(
                [
                    location,
                    day.isoformat(),
                    r.method,
                    r.staff_role,
                    r.staff_name,
                    r.currency,
                    *(
                        f"{v:.{currency_decimals(r.currency)}f}"
                        for v in (r.received, r.paid_out, r.net)
                    ),
                    r.entries,
                ]
            )
    return path
