"""The iJw message traffic that the trajectories of a synthetic city produce.

Per trajectory, by how the provider is paid:
- inspanningsgericht / outputgericht: JW315 (when a non-municipal verwijzer refers) → JW301 →
  JW305 → monthly JW323 (from 2021, rule CS100) → JW307, each with its retour, plus JW319
  answers, verlengingen, verkortingen, Omvang changes through a JW317, withdrawn toewijzingen
  (RedenWijziging 13), start corrections (StatusAanlevering 3 then 1), temporary stops (20) and
  late messages;
- taakgericht (neighbourhood partners): JW305/JW307 without ToewijzingNummer (key: Product +
  Begindatum), no toewijzing, no declaratie;
- gecertificeerde instelling: JW301 and JW323, no start/stop (OP295 exception);
- buurtteams: nothing (free access; they show in the BIJ deliveries only).
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from wijkzicht.ijw import messages as m
from wijkzicht.ijw.basis import (
    Achternaam,
    Adres,
    BedragMetDC,
    BerichtIdentificatie,
    Geboortedatum,
    GeslotenPeriode,
    Huis,
    Omvang,
    Product,
    Referentie,
    TotaalBedragMetDC,
    VerkorteNaam,
    Verwijzer,
    VolledigeNaam,
    XsdVersie,
)
from wijkzicht.ijw.headers import DeclaratieAntwoordHeader, Header, RetourHeader
from wijkzicht.synth.care import Trajectory
from wijkzicht.synth.population import City, Person
from wijkzicht.synth.providers import EENHEID, TARIEF, Provider

VERSIE = XsdVersie(basisschema_xsd_versie="1.0.0", bericht_xsd_versie="1.0.0")
FIRST_DECLARATIE = date(2021, 1, 1)  # CS100: no DeclaratiePeriode before 2021
STREETS = (
    "Dorpsstraat",
    "Kerkstraat",
    "Schoolstraat",
    "Molenweg",
    "Stationsweg",
    "Julianalaan",
    "Beatrixstraat",
    "Lindenlaan",
    "Eikenlaan",
    "Vaartweg",
    "Parkstraat",
    "Bloemstraat",
)


@dataclass
class Sent:
    """One message in the traffic, with what the ground truth needs to know about it."""

    day: date  # Dagtekening (file date)
    seq: int
    msg: m.Message
    error: tuple[str, str] | None = None  # (rule, description) for deliberate errors
    raw: bytes | None = None  # XML text when the error cannot be expressed in the model
    order: int = 1  # a deliberately wrong message (0) goes just before its correct resend

    @property
    def sort_key(self) -> tuple[date, int, int]:
        return (self.day, self.seq, self.order)


@dataclass
class Toewijzing:
    nummer: int
    product: Product
    ingang: date
    eind: date
    omvang: Omvang
    reden: str | None = None
    referentie: str | None = None


@dataclass
class Traffic:
    city: City
    seed: int
    horizon: date
    sent: list[Sent] = field(default_factory=list)
    pending: list[tuple[Trajectory, list[Toewijzing]]] = field(default_factory=list)
    _ids: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    _toewijzing_nr: int = 100_000

    # ------------------------------------------------------------------ primitives
    def ident(self, code: str, sender: str) -> str:
        self._ids[(code, sender)] += 1
        return str(self._ids[(code, sender)])

    def header(self, cls: type[m.Message], day: date, afzender: str, ontvanger: str) -> Header:
        return Header(
            bericht_code=cls.bericht_code,
            bericht_versie=3,
            bericht_subversie=2,
            afzender=afzender,
            ontvanger=ontvanger,
            bericht_identificatie=BerichtIdentificatie(
                identificatie=self.ident(cls.code, afzender), dagtekening=day
            ),
            xsd_versie=VERSIE,
        )

    def emit(
        self, day: date, msg: m.Message, rng: random.Random, codes: list[str] | None = None
    ) -> None:
        """Send a heenbericht and, where the standard has one, its retour 1–3 days later."""
        self.sent.append(Sent(day, len(self.sent), msg))
        if msg.code in RETOUR:
            self.retour(msg, day + timedelta(days=rng.randint(0, 3)), codes or [])

    def retour(self, msg: m.Message, rday: date, codes: list[str], order: int = 1) -> None:
        """The header-only retour of ``msg`` (no class codes: accepted, or rejected as a whole)."""
        retour_cls = RETOUR[msg.code]
        h = msg.header
        # The retour is sent by the receiver of the heenbericht but copies its header (IV028).
        receiver = h.ontvanger
        rh = RetourHeader(
            bericht_code=retour_cls.bericht_code,
            bericht_versie=3,
            bericht_subversie=2,
            afzender=h.afzender,
            ontvanger=h.ontvanger,
            bericht_identificatie=h.bericht_identificatie,
            xsd_versie=h.xsd_versie,
            identificatie_retour=self.ident(retour_cls.code, receiver),
            dagtekening_retour=rday,
            xsd_versie_retour=VERSIE,
            retour_codes=codes,
        )
        self.sent.append(Sent(rday, len(self.sent), retour_cls(header=rh), order=order))

    def nummer(self) -> int:
        self._toewijzing_nr += 1
        return self._toewijzing_nr

    def tijd(self, rng: random.Random) -> time:
        return time(rng.randint(8, 17), rng.randint(0, 59), rng.randint(0, 59))


RETOUR: dict[str, type[m.Message]] = {
    "JW301": m.JW302,
    "JW305": m.JW306,
    "JW307": m.JW308,
    "JW315": m.JW316,
    "JW317": m.JW318,
    "JW319": m.JW320,
}


def geboortedatum(p: Person) -> Geboortedatum:
    return Geboortedatum(datum=p.birth_date)


def geslacht(p: Person) -> str:
    return "1" if p.sex == "M" else "2"


def verkorte_naam(p: Person) -> VerkorteNaam:
    return VerkorteNaam(
        geslachtsnaam=Achternaam(achternaam=p.last_name, voorvoegsel=p.voorvoegsel),
        voornamen=p.first_name,
        voorletters=p.first_name[0],
    )


def volledige_naam(p: Person) -> VolledigeNaam:
    return VolledigeNaam(
        geslachtsnaam=Achternaam(achternaam=p.last_name, voorvoegsel=p.voorvoegsel),
        voornamen=p.first_name,
        voorletters=p.first_name[0],
        naam_gebruik="1",
    )


def contact(city: City, p: Person, day: date) -> m.Contact:
    addr = p.address_on(day) or p.residences[-1].address
    street = STREETS[sum(map(ord, addr.postcode)) % len(STREETS)]
    return m.Contact(
        soort="01",
        adres=Adres(
            huis=Huis(huisnummer=addr.huisnummer),
            postcode=addr.postcode,
            straatnaam=street,
            plaatsnaam=city.name if addr.buurt_code else "Elders",
            land_code="NL",
        ),
    )


def omvang_for(categorie: str, rng: random.Random) -> Omvang:
    if EENHEID[categorie] == "14":
        return Omvang(volume=7, eenheid="14", frequentie="2")
    return Omvang(volume=rng.choice((1, 2, 2, 3, 4)), eenheid="04", frequentie="2")


def trajectory_traffic(t: Trajectory, tr: Traffic) -> None:
    """Emit all messages of one trajectory."""
    rng = random.Random(f"{tr.seed}:traffic:{t.tid}")
    if t.provider.variant == "vrij_toegankelijk":
        return
    if t.provider.variant == "taakgericht":
        _regie(t, tr, rng, toewijzing=None)
        return
    toewijzingen = _toewijzen(t, tr, rng)
    if t.provider.kind != "gi":
        _regie(t, tr, rng, toewijzing=toewijzingen)
    tr.pending.append((t, toewijzingen))  # declaraties are sent per provider per month


def _send_301(
    t: Trajectory, tr: Traffic, rng: random.Random, day: date, products: list[Toewijzing]
) -> None:
    g = tr.city.gemeente_code
    day = max(day, t.person.birth_date)
    tijd = tr.tijd(rng)
    client = m.Client301(
        bsn=t.person.bsn,
        geboortedatum=geboortedatum(t.person),
        geslacht=geslacht(t.person),
        naam=volledige_naam(t.person),
        contactgegevens=[contact(tr.city, t.person, day)],
        toegewezen_producten=[
            m.ToegewezenProduct(
                toewijzing_nummer=tw.nummer,
                referentie_aanbieder=tw.referentie,
                product=tw.product,
                toewijzingsdatum=day,
                toewijzingstijd=tijd,
                ingangsdatum=tw.ingang,
                einddatum=tw.eind,
                reden_wijziging=tw.reden,
                omvang=tw.omvang,
            )
            for tw in products
        ],
    )
    msg = m.JW301(header=tr.header(m.JW301, day, g, t.provider.agb), client=client)
    tr.emit(day, msg, rng)


def _toewijzen(t: Trajectory, tr: Traffic, rng: random.Random) -> list[Toewijzing]:
    """VOT (if referred from outside the municipality), toewijzing, verlengingen, changes."""
    p, g = t.provider, tr.city.gemeente_code
    product = Product(categorie=t.categorie, code=p.product_code(t.categorie))
    omvang = omvang_for(t.categorie, rng)
    planned = t.begin + timedelta(days=364)
    referentie = None
    day = t.begin - timedelta(days=rng.randint(3, 14))
    if t.verwijzer != "01" and p.kind != "gi":
        referentie = f"VOT{tr.seed % 1000}-{t.tid}"
        vot_day = max(t.begin - timedelta(days=rng.randint(10, 25)), t.person.birth_date)
        tr.emit(vot_day, _vot(t, tr, vot_day, referentie, product, omvang, planned), rng)
        if rng.random() < 0.06:  # first "in onderzoek", then the toewijzing
            ans = m.JW319(
                header=tr.header(m.JW319, vot_day + timedelta(days=2), g, p.agb),
                antwoord=m.Antwoord(referentie_aanbieder=referentie, verzoek_antwoord="2"),
            )
            tr.emit(vot_day + timedelta(days=2), ans, rng)
        day = max(vot_day + timedelta(days=rng.randint(1, 5)), day)
    current = Toewijzing(tr.nummer(), product, t.begin, planned, omvang, referentie=referentie)
    if rng.random() < 0.03:  # withdrawn (RedenWijziging 13) and replaced by a new number
        wrong = Toewijzing(current.nummer, product, t.begin, planned, omvang, referentie=referentie)
        _send_301(t, tr, rng, day - timedelta(days=2), [wrong])
        wrong.eind, wrong.reden, wrong.referentie = wrong.ingang, "13", None
        # the replacement honours the same VOT, so it carries its ReferentieAanbieder (IV097)
        current = Toewijzing(tr.nummer(), product, t.begin, planned, omvang, referentie=referentie)
        _send_301(t, tr, rng, day, [wrong, current])
    else:
        _send_301(t, tr, rng, day, [current])
    result = [current]
    end = t.end or tr.horizon
    # An Omvang change through a VOW: old toewijzing ends, a new number starts (IV066).
    if p.kind != "gi" and (end - t.begin).days > 200 and rng.random() < 0.08:
        change = t.begin + timedelta(days=rng.randint(90, (end - t.begin).days - 60))
        if all(not (a <= change <= b) for a, b in t.pauses) and change < current.eind:
            vow_ref = f"VOW{tr.seed % 1000}-{t.tid}"
            new_omvang = Omvang(
                volume=current.omvang.volume + 1,
                eenheid=current.omvang.eenheid,
                frequentie=current.omvang.frequentie,
            )
            vow_day = change - timedelta(days=rng.randint(12, 20))
            vow = m.JW317(
                header=tr.header(m.JW317, vow_day, p.agb, g),
                client=m.Client317(
                    bsn=t.person.bsn,
                    verzoek=m.Verzoek(
                        referentie_aanbieder=vow_ref,
                        reden_verzoek="2",
                        te_wijzigen_producten=[
                            m.TeWijzigenProduct(
                                toewijzing_nummer=current.nummer,
                                gewenste_ingangsdatum=change,
                                einddatum=current.eind,
                                omvang=new_omvang,
                            )
                        ],
                    ),
                ),
            )
            tr.emit(vow_day, vow, rng)
            new = Toewijzing(
                tr.nummer(), product, change, current.eind, new_omvang, referentie=vow_ref
            )
            current.eind, current.reden, current.referentie = (
                change - timedelta(days=1),
                "12",
                vow_ref,
            )
            _send_301(t, tr, rng, vow_day + timedelta(days=rng.randint(2, 5)), [current, new])
            current = new
            result.append(new)
    # Verlengingen while care goes on past the Einddatum (same number, OP380).
    # running care is extended until its Einddatum lies past the horizon (not on it)
    last_day = t.end if t.end is not None else tr.horizon + timedelta(days=1)
    while current.eind < last_day:
        day = current.eind - timedelta(days=rng.randint(10, 30))
        current.eind = current.eind + timedelta(days=365)
        current.reden = "04"
        current.referentie = None
        _send_301(t, tr, rng, day, [current])
    # Verkorting once care has ended before the Einddatum (always for the GI: no stop there).
    if t.end is not None and t.end < current.eind and (p.kind == "gi" or rng.random() < 0.5):
        current.eind = t.end
        current.reden = "07" if t.reden == "35" else "05"
        current.referentie = None
        _send_301(t, tr, rng, t.end + timedelta(days=rng.randint(1, 10)), [current])
    return result


def _vot(
    t: Trajectory, tr: Traffic, day: date, ref: str, product: Product, omvang: Omvang, planned: date
) -> m.JW315:
    vtype = t.verwijzer
    if vtype in ("02", "03", "05"):
        verwijzer = Verwijzer(type=vtype, zorgverlener_code=f"01{t.tid % 1_000_000:06d}")
    elif vtype == "04":
        verwijzer = Verwijzer(type=vtype, naam="Gecertificeerde Instelling Regio")
    else:
        verwijzer = Verwijzer(type=vtype)
    return m.JW315(
        header=tr.header(m.JW315, day, t.provider.agb, tr.city.gemeente_code),
        client=m.Client315(
            bsn=t.person.bsn,
            geboortedatum=geboortedatum(t.person),
            geslacht=geslacht(t.person),
            naam=verkorte_naam(t.person),
            aangevraagde_producten=[
                m.AangevraagdProduct(
                    referentie_aanbieder=ref,
                    product=product,
                    toewijzing_ingangsdatum=t.begin,
                    toewijzing_einddatum=planned,
                    omvang=omvang,
                    verwijzer=verwijzer,
                )
            ],
        ),
    )


def _product_key(t: Trajectory, tw: Toewijzing | None) -> dict:
    if tw is None:  # taakgericht: key is Product + Begindatum (IV096)
        return {
            "product": Product(categorie=t.categorie, code=t.provider.product_code(t.categorie))
        }
    return {
        "toewijzing_nummer": tw.nummer,
        "product": tw.product,
        "toewijzing_ingangsdatum": tw.ingang,
    }


def _regie(
    t: Trajectory, tr: Traffic, rng: random.Random, toewijzing: list[Toewijzing] | None
) -> None:
    """Start and stop messages, with corrections, temporary stops and late sending."""
    p, g, person = t.provider, tr.city.gemeente_code, t.person

    def delay() -> int:
        return rng.randint(30, 100) if rng.random() < 0.07 else rng.randint(1, 5)

    def start(tw: Toewijzing | None, begin: date, *, correct: bool = True) -> None:
        key = _product_key(t, tw)
        items = []
        day = begin + timedelta(days=delay())
        if correct and rng.random() < 0.04:  # first sent with a wrong date, then corrected
            wrong = begin + timedelta(days=rng.randint(1, 9))
            first = m.StartProduct(**key, begindatum=wrong, status_aanlevering="1")
            tr.emit(max(day, wrong), _start_msg(tr, p, g, person, wrong, [first], day), rng)
            items.append(m.StartProduct(**key, begindatum=wrong, status_aanlevering="3"))
            day = max(day, wrong) + timedelta(days=rng.randint(3, 20))
        items.append(m.StartProduct(**key, begindatum=begin, status_aanlevering="1"))
        tr.emit(day, _start_msg(tr, p, g, person, begin, items, day), rng)

    def stop(tw: Toewijzing | None, begin: date, end: date, reden: str) -> None:
        day = end + timedelta(days=delay())
        item = m.StopProduct(
            **_product_key(t, tw),
            begindatum=begin,
            reden_beeindiging=reden,
            einddatum=end,
            status_aanlevering="1",
        )
        msg = m.JW307(
            header=tr.header(m.JW307, day, p.agb, g),
            client=m.Client307(
                bsn=person.bsn,
                geboortedatum=geboortedatum(person),
                geslacht=geslacht(person),
                naam=verkorte_naam(person),
                stop_producten=[item],
            ),
        )
        tr.emit(day, msg, rng)

    # Segments of delivery: split by pauses (temporary stops) and by toewijzing changes.
    tws = toewijzing or [None]
    segments: list[tuple[Toewijzing | None, date, date | None, str | None]] = []
    for i, tw in enumerate(tws):
        seg_begin = t.begin if i == 0 else tw.ingang  # type: ignore[union-attr]
        seg_end = t.end if i == len(tws) - 1 else tws[i + 1].ingang - timedelta(days=1)
        reden = t.reden if i == len(tws) - 1 else "37"
        segments.append((tw, seg_begin, seg_end, reden))
    for tw, seg_begin, seg_end, reden in segments:
        begin = seg_begin
        start(tw, begin)
        for pause_from, pause_to in t.pauses:
            if begin <= pause_from and (seg_end is None or pause_to <= seg_end):
                stop(tw, begin, pause_from, "20")
                begin = pause_to
                start(tw, begin, correct=False)
        if seg_end is not None:
            stop(tw, begin, seg_end, reden or "31")


def _start_msg(
    tr: Traffic,
    p: Provider,
    g: str,
    person: Person,
    begin: date,
    items: list[m.StartProduct],
    day: date,
) -> m.JW305:
    return m.JW305(
        header=tr.header(m.JW305, max(day, begin), p.agb, g),
        client=m.Client305(
            bsn=person.bsn,
            geboortedatum=geboortedatum(person),
            geslacht=geslacht(person),
            naam=verkorte_naam(person),
            start_producten=items,
        ),
    )


def declaraties(tr: Traffic) -> None:
    """Monthly JW323 per provider with every prestatie of that month, and its JW325."""
    items, tr.pending = tr.pending, []
    by_provider_month: dict[tuple[str, date], list[tuple[Trajectory, Toewijzing, date, date]]]
    by_provider_month = defaultdict(list)
    for t, tws in items:
        end = t.end or tr.horizon
        for tw in tws:
            lo = max(t.begin, tw.ingang, FIRST_DECLARATIE)
            hi = min(end, tw.eind)
            month = date(lo.year, lo.month, 1)
            while month <= hi:
                nxt = date(month.year + month.month // 12, month.month % 12 + 1, 1)
                a, b = max(lo, month, tw.ingang), min(hi, nxt - timedelta(days=1), tw.eind)
                if a <= b and not any(pf <= a and b < pt for pf, pt in t.pauses):
                    by_provider_month[(t.provider.agb, month)].append((t, tw, a, b))
                month = nxt
    g = tr.city.gemeente_code
    for (agb, month), rows in sorted(by_provider_month.items()):
        rng = random.Random(f"{tr.seed}:decl:{agb}:{month}")
        nxt = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        day = nxt + timedelta(days=rng.randint(3, 9))
        clients: dict[str, list[m.Prestatie]] = {}
        total = 0
        for t, tw, a, b in sorted(rows, key=lambda r: (r[0].person.bsn, r[1].nummer)):
            weeks = ((b - a).days // 7) + 1
            volume = max(1, int(tw.omvang.volume * weeks * 0.8))
            tarief = TARIEF[t.categorie]
            bedrag = volume * tarief
            total += bedrag
            clients.setdefault(t.person.bsn, []).append(
                m.Prestatie(
                    product_referentie=Referentie(referentie_nummer=f"R{tw.nummer}-{month:%Y%m}"),
                    toewijzing_nummer=tw.nummer,
                    product_categorie=tw.product.categorie,
                    product_code=tw.product.code or "",
                    product_periode=GeslotenPeriode(begindatum=a, einddatum=b),
                    geleverd_volume=volume,
                    eenheid=tw.omvang.eenheid,
                    product_tarief=tarief,
                    ingediend_bedrag=BedragMetDC(bedrag=bedrag, debet_credit="D"),
                )
            )
        nummer = f"D{month:%Y%m}"
        totaal = TotaalBedragMetDC(totaal_bedrag=total, debet_credit="D")
        decl = m.JW323(
            header=tr.header(m.JW323, day, agb, g),
            declaratie=m.Declaratie(
                declaratie_nummer=nummer,
                declaratie_periode=GeslotenPeriode(
                    begindatum=month, einddatum=nxt - timedelta(days=1)
                ),
                declaratie_dagtekening=day,
                totaal_ingediend_bedrag=totaal,
                clienten=[m.Client323(bsn=bsn, prestaties=ps) for bsn, ps in clients.items()],
            ),
        )
        tr.emit(day, decl, rng)
        aday = day + timedelta(days=rng.randint(2, 12))
        h = decl.header
        antwoord = m.JW325(
            header=DeclaratieAntwoordHeader(
                bericht_code=m.JW325.bericht_code,
                bericht_versie=3,
                bericht_subversie=2,
                afzender=g,
                ontvanger=agb,
                bericht_identificatie=BerichtIdentificatie(
                    identificatie=tr.ident("JW325", g), dagtekening=aday
                ),
                xsd_versie=VERSIE,
                declaratie_identificatie=h.bericht_identificatie,
                xsd_versie_declaratie=VERSIE,
                retour_codes=["0200"],
            ),
            declaratie_antwoord=m.DeclaratieAntwoord(
                declaratie_nummer=nummer,
                totaal_ingediend_bedrag=totaal,
                totaal_toegekend_bedrag=totaal,
                retour_codes=["8001"],
            ),
        )
        tr.emit(aday, antwoord, rng)
