"""Chart specifications (Vega-Lite, built with Altair) shared by the dashboard and the report.

The dashboard renders them in the browser with the bundled vega-embed; the report turns them
into SVG with vl-convert. Every function returns a plain dict (the Vega-Lite JSON) and never
sees a suppressed value as a number: suppressed cells arrive as ``None`` and are drawn as
"geheim" (grey, no value), never as 0.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import lru_cache

import altair as alt

SECRET = {"nl": "geheim (klein aantal)", "en": "secret (small number)"}
PROVISIONAL = {"nl": "voorlopig", "en": "provisional"}
BREAK = {"nl": "trendbreuk", "en": "trend break"}
FONT = "system-ui, Segoe UI, Roboto, Arial, sans-serif"


def _config(chart: alt.TopLevelMixin) -> dict:
    spec = chart.configure(font=FONT).configure_view(stroke=None).to_dict()
    spec.pop("$schema", None)  # the bundled Vega-Lite version applies
    return spec


def trend(
    points: Sequence[Mapping],
    *,
    y_title: str,
    lang: str = "nl",
    width: int = 520,
    height: int = 220,
    breaks: Mapping[str, str] | None = None,
) -> dict:
    """A line per area over time. ``points``: dicts with ``period`` (code), ``area`` (name),
    ``value`` (None when suppressed or undefined) and ``provisional`` (bool). Provisional
    points are hollow and the line to them dashed. ``breaks`` maps a period to the reason of
    a trend break there (the first year of data, a changed definition): drawn as a dashed
    vertical rule labelled *trendbreuk* / *trend break*, the reason in its tooltip. Periods
    are in code order on the x axis (an area without data in the first year cannot reorder
    them).

    The data travel as named ``datasets`` (``points``, ``breaks``); the rest of the spec is
    built once per title, language and size (building and validating with Altair is slow)."""
    rows = [
        {
            "period": p["period"],
            "area": p["area"],
            "value": p["value"],
            "status": PROVISIONAL[lang] if p.get("provisional") else "",
        }
        for p in points
    ]
    spec = json.loads(_trend_structure(y_title, lang, width, height, bool(breaks)))
    spec["datasets"] = {"points": rows}
    if breaks:
        spec["datasets"]["breaks"] = [
            {"period": p, "reason": r, "label": BREAK[lang]} for p, r in breaks.items()
        ]
    return spec


@lru_cache(maxsize=256)
def _trend_structure(y_title: str, lang: str, width: int, height: int, breaks: bool) -> str:
    base = alt.Chart(alt.NamedData(name="points")).encode(
        x=alt.X("period:O", title=None, sort="ascending", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("value:Q", title=y_title),
        color=alt.Color("area:N", title=None, legend=alt.Legend(orient="bottom")),
        tooltip=[
            alt.Tooltip("area:N", title="gebied" if lang == "nl" else "area"),
            alt.Tooltip("period:O", title="periode" if lang == "nl" else "period"),
            alt.Tooltip("value:Q", title=y_title, format=",.1f"),
            alt.Tooltip("status:N", title=""),
        ],
    )
    line = base.transform_filter("datum.value != null").mark_line()
    final_points = base.transform_filter("datum.value != null && datum.status == ''").mark_point(
        filled=True, size=45
    )
    provisional = base.transform_filter("datum.value != null && datum.status != ''").mark_point(
        filled=False, size=60, strokeDash=[2, 2]
    )
    layers = [line, final_points, provisional]
    if breaks:
        rule = alt.Chart(alt.NamedData(name="breaks")).encode(
            x=alt.X("period:O", sort="ascending"),
            tooltip=[alt.Tooltip("label:N", title=""), alt.Tooltip("reason:N", title="")],
        )
        layers += [
            rule.mark_rule(color="#8a4b00", strokeDash=[4, 3]),
            rule.mark_text(align="left", dx=3, dy=-4, color="#8a4b00", fontSize=10).encode(
                text="label:N", y=alt.value(0)
            ),
        ]
    chart = alt.layer(*layers).properties(width=width, height=height)
    return json.dumps(_config(chart))


def choropleth(
    geojson: Mapping,
    values: Mapping[str, float | None],
    *,
    title: str,
    lang: str = "nl",
    width: int = 520,
    height: int = 420,
    highlight: str | None = None,
) -> dict:
    """Areas coloured by value; ``values`` maps area code → value (None: secret or missing).
    The boundaries are in RD New (EPSG:28992) metres: drawn with an identity projection,
    no tile server. The features travel as the named dataset ``areas``; the rest of the
    spec is built once per title, language and size."""
    features = []
    for f in geojson["features"]:
        code = f["properties"]["code"]
        value = values.get(code)
        features.append(
            {
                **f,
                "properties": {
                    **f["properties"],
                    "value": value,
                    "label": SECRET[lang] if value is None else f"{value:,.1f}",
                    "selected": code == highlight,
                },
            }
        )
    spec = json.loads(_choropleth_structure(title, lang, width, height, highlight is not None))
    spec["datasets"] = {"areas": features}
    return spec


@lru_cache(maxsize=256)
def _choropleth_structure(title: str, lang: str, width: int, height: int, highlight: bool) -> str:
    data = alt.NamedData(name="areas", format=alt.DataFormat(type="json"))
    projection = {"type": "identity", "reflectY": True}
    tooltip = [
        alt.Tooltip("properties.naam:N", title="gebied" if lang == "nl" else "area"),
        alt.Tooltip("properties.label:N", title=title),
    ]
    known = (
        alt.Chart(data)
        .transform_filter("datum.properties.value != null")
        .mark_geoshape(stroke="white", strokeWidth=0.7)
        .encode(
            color=alt.Color(
                "properties.value:Q",
                title=title,
                scale=alt.Scale(scheme="blues"),
                legend=alt.Legend(orient="bottom", gradientLength=240),
            ),
            tooltip=tooltip,
        )
        .project(**projection)
    )
    secret = (
        alt.Chart(data)
        .transform_filter("datum.properties.value == null")
        .mark_geoshape(stroke="white", strokeWidth=0.7, fill="#d9d9d9")
        .encode(tooltip=tooltip)
        .project(**projection)
    )
    layers = [secret, known]
    if highlight:
        layers.append(
            alt.Chart(data)
            .transform_filter("datum.properties.selected")
            .mark_geoshape(fill=None, stroke="#f5a623", strokeWidth=3)
            .project(**projection)
        )
    return json.dumps(_config(alt.layer(*layers).properties(width=width, height=height)))


def ranking(
    bars: Sequence[Mapping],
    *,
    x_title: str,
    lang: str = "nl",
    width: int = 520,
    reference: float | None = None,
) -> dict:
    """Horizontal bars, highest first. ``bars``: dicts with ``area`` (name) and ``value``
    (None: secret, drawn as an empty row labelled so). ``reference``: a rule at the city's
    value."""
    rows = [
        {
            "area": b["area"],
            "value": b["value"],
            "label": SECRET[lang] if b["value"] is None else f"{b['value']:,.1f}",
        }
        for b in bars
    ]
    order = [r["area"] for r in sorted(rows, key=lambda r: -(r["value"] or -1))]
    base = alt.Chart(alt.Data(values=rows)).encode(y=alt.Y("area:N", sort=order, title=None))
    bars_layer = base.mark_bar(color="#0b5394").encode(
        x=alt.X("value:Q", title=x_title),
        tooltip=[alt.Tooltip("area:N"), alt.Tooltip("label:N", title=x_title)],
    )
    layers = [bars_layer]
    if reference is not None:
        layers.append(
            alt.Chart(alt.Data(values=[{"ref": reference}]))
            .mark_rule(color="#8a4b00", strokeDash=[4, 3])
            .encode(x="ref:Q")
        )
    height = max(120, 18 * len(rows))
    return _config(alt.layer(*layers).properties(width=width, height=height))
