"""Small HTML builders for the sandbox pages: every value is escaped, every field labelled."""

from __future__ import annotations

from collections.abc import Iterable

from linkedin.sandbox.web import esc

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;background:#f4f2ee;
 color:#1d2226}
header{background:#0a66c2;color:#fff;padding:.6rem 1rem;display:flex;gap:1rem;
 align-items:center;flex-wrap:wrap}
header a{color:#fff}
main{max-width:60rem;margin:1rem auto;padding:0 1rem}
.card{background:#fff;border-radius:.5rem;padding:1rem 1.25rem;margin-bottom:1rem;
 box-shadow:0 0 0 1px #e0dfdc}
label{display:block;font-weight:600;margin:.5rem 0 .2rem}
label.inline{display:inline;font-weight:400}
input[type=text],input[type=email],input[type=password],input[type=search],textarea,select{
 width:100%;max-width:30rem;padding:.45rem;border:1px solid #8c8c8c;border-radius:.25rem;
 box-sizing:border-box}
button{background:#0a66c2;color:#fff;border:0;border-radius:1rem;padding:.45rem 1rem;
 font-weight:600;cursor:pointer;margin:.4rem .4rem 0 0}
button.secondary{background:#fff;color:#0a66c2;box-shadow:inset 0 0 0 1px #0a66c2}
button:focus,a:focus,input:focus,select:focus,textarea:focus{outline:3px solid #f5c400;
 outline-offset:2px}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.35rem;border-bottom:1px solid #e0dfdc;vertical-align:top}
.status{font-weight:700}.error{color:#b00020;font-weight:600}.ok{color:#057642;font-weight:600}
.table-wrap{overflow-x:auto}nav ul{list-style:none;padding:0;display:flex;gap:1rem;flex-wrap:wrap}
code{word-break:break-all}
"""


def hidden(name: str, value: object) -> str:
    return f'<input type="hidden" name="{esc(name)}" value="{esc(value)}">'


def field(label: str, ident: str, kind: str = "text", value: object = "", extra: str = "") -> str:
    """A labelled input; `ident` is both its id and its name."""
    return (
        f'<label for="{esc(ident)}">{esc(label)}</label>'
        f'<input id="{esc(ident)}" name="{esc(ident)}" type="{esc(kind)}" value="{esc(value)}"'
        f"{extra}>"
    )


def textarea(label: str, ident: str, rows: int = 3) -> str:
    return (
        f'<label for="{esc(ident)}">{esc(label)}</label>'
        f'<textarea id="{esc(ident)}" name="{esc(ident)}" rows="{rows}" required></textarea>'
    )


def choice(
    kind: str, name: str, ident: str, value: object, label: str, checked: bool = False
) -> str:
    """A radio button or checkbox with its label next to it."""
    mark = " checked" if checked else ""
    return (
        f'<div><input type="{kind}" id="{esc(ident)}" name="{esc(name)}" value="{esc(value)}"'
        f'{mark}> <label class="inline" for="{esc(ident)}">{esc(label)}</label></div>'
    )


def button(
    text: str, name: str = "", value: str = "", secondary: bool = False, aria: str = ""
) -> str:
    attributes = ' class="secondary"' if secondary else ""
    if name:
        attributes += f' name="{esc(name)}" value="{esc(value)}"'
    if aria:
        attributes += f' aria-label="{esc(aria)}"'
    return f'<button type="submit"{attributes}>{esc(text)}</button>'


def form(action: str, *parts: str, method: str = "post", role: str = "") -> str:
    extra = f' role="{role}"' if role else ""
    return f'<form method="{method}" action="{esc(action)}"{extra}>{"".join(parts)}</form>'


def table(headers: Iterable[str], rows: Iterable[Iterable[str]], caption: str = "") -> str:
    """Cells are HTML already (escape values when building them); the first cell heads a row."""
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    title = f"<caption>{esc(caption)}</caption>" if caption else ""
    return (
        f'<div class="table-wrap"><table>{title}<thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


def card(*parts: str) -> str:
    return f'<div class="card">{"".join(parts)}</div>'


def status(message: str, error: bool = False) -> str:
    """A live region: role=status for news, role=alert for errors."""
    if error:
        return f'<p class="error" role="alert">{esc(message)}</p>'
    return f'<p class="ok" role="status">{esc(message)}</p>'
