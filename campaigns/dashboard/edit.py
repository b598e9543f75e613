"""Edit: add and correct campaigns, demands, actions, responses, outcomes and evidence.

Only a signed-in editor sees a form; every save goes through campaigns.editing (which checks
the editor itself and the codebook's rules) and so lands in the audit log shown below.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date

import pandas as pd
import streamlit as st

from campaigns import codebook as cb
from campaigns import editing
from campaigns.access import current_editor, sign_out
from campaigns.dashboard.loaders import clear_after_edit, history
from campaigns.dashboard.signin import sign_in_panel
from campaigns.dashboard.state import filter_sidebar, selection, store
from campaigns.dashboard.ui import escape_markdown
from campaigns.edit_rules import EditRefused
from campaigns.record_views import campaign_records

URL = os.environ.get("DATABASE_URL")
NEW = "__new__"
EARLIEST = date(1960, 1, 1)
FLAGS = {"not recorded": None, "yes": True, "no": False}
EDIT_CHOICES = 1000  # campaigns listed in the chooser at once

st.title("Add and correct records")
filters = filter_sidebar()
engine = store()
editor = current_editor()
if editor is None:
    sign_in_panel(engine)
    st.stop()

with st.sidebar:
    st.caption(f"Signed in as {escape_markdown(editor.removeprefix('human:'))}")
    if st.button("Sign out"):
        sign_out()
        st.rerun()


def save(write: Callable[[], object], done: str) -> bool:
    """Run one write; show why it was refused, or confirm it and refresh every page's data."""
    try:
        write()
    except EditRefused as exc:
        st.error("Not saved. " + " ".join(exc.reasons))
        return False
    except PermissionError as exc:
        st.error(escape_markdown(exc))  # it may repeat what the editor typed
        return False
    clear_after_edit()
    st.success(done)
    return True


def day_input(label: str, value: date | None, key: str) -> date | None:
    return st.date_input(
        label, value=value, min_value=EARLIEST, max_value=date.today(), format="YYYY-MM-DD", key=key
    )


def pick(
    label: str, vocab: cb.Vocabulary, current: str | None, key: str, blank: bool
) -> str | None:
    options: list[str | None] = [None, *vocab.values] if blank else list(vocab.values)
    index = options.index(current) if current in options else 0
    return st.selectbox(
        label, options, index=index, key=key, format_func=lambda v: "—" if v is None else v
    )


def new_campaign_form() -> None:
    with st.form("add_campaign"):
        title = st.text_input("Title")
        company = st.text_input("Company (a known name or alias, or a new company)")
        struggle = pick("Struggle", cb.STRUGGLE, None, "new_c_struggle", blank=True)
        group = st.text_input("Worker group (an organisation, never a person)")
        unit = st.text_input("Business unit")
        started = day_input("Started on", None, "new_c_started")
        summary = st.text_area("Summary")
        submitted = st.form_submit_button("Add campaign")
    if submitted:
        created: list[str] = []
        ok = save(
            lambda: created.append(
                editing.add_campaign(
                    engine,
                    editor=editor,
                    title=title,
                    company=company,
                    struggle=struggle,
                    worker_group=group or None,
                    business_unit=unit or None,
                    started_on=started,
                    summary=summary or None,
                )
            ),
            "Campaign added.",
        )
        if ok:
            st.query_params["campaign"] = created[0]
            st.session_state.pop("edit_campaign", None)
            st.rerun()


matching = selection(filters, URL)
listed = matching
if matching.count > EDIT_CHOICES:
    # A chooser of every campaign would send them all to the browser on each rerun.
    query = st.text_input(
        "Find the campaign", key="edit_find", placeholder="words in its title, company or group"
    )
    listed = matching.search(query)
    st.caption(
        f"{matching.count:,} campaigns match the filters, {listed.count:,} the words; the list "
        f"holds the newest {min(listed.count, EDIT_CHOICES):,}. Type words or narrow the filters."
    )
campaign_table = listed.table_page(1, ["campaign_id", "title"], EDIT_CHOICES)
titles = dict(zip(campaign_table["campaign_id"], campaign_table["title"], strict=True))
wanted = st.query_params.get("campaign")
for kept in (wanted, st.session_state.get("edit_campaign")):
    # The campaign in the link or being edited stays listed while it matches the filters.
    if isinstance(kept, str) and kept not in titles and matching.includes(kept):
        titles[kept] = matching.data.title_of(kept)
options = [NEW, *sorted(titles, key=lambda c: str(titles[c]).lower())]
if "edit_campaign" not in st.session_state:
    st.session_state["edit_campaign"] = (
        wanted if wanted in options else (options[1] if len(options) > 1 else NEW)
    )
campaign_id = st.selectbox(
    "Campaign",
    options,
    key="edit_campaign",
    format_func=lambda c: "➕ New campaign" if c == NEW else str(titles.get(c, c)),
)
if campaign_id == NEW:
    st.query_params.pop("campaign", None)
    new_campaign_form()
    st.stop()
st.query_params["campaign"] = campaign_id
found = campaign_records(engine, campaign_id)
if found is None:
    st.warning("That campaign is gone; choose another one.")
    st.stop()
campaign = found.campaign
demand_label = {d.id: f"{d.first_stated_on or 'undated'} — {d.text[:80]}" for d in found.demands}

outcome_tab, demand_tab, campaign_tab, action_tab, response_tab, evidence_tab = st.tabs(
    ["Outcome", "Demands", "Campaign", "Actions", "Responses", "Evidence"]
)

with outcome_tab:
    if not found.demands:
        st.info("This campaign has no demand yet: add one in the Demands tab.")
    else:
        demand_id = st.selectbox(
            "Demand", list(demand_label), format_func=demand_label.__getitem__, key="edit_demand"
        )
        demand = next(d for d in found.demands if d.id == demand_id)
        with st.form(f"outcome_{demand.id}"):
            outcome = pick("Outcome", cb.OUTCOME, demand.outcome, f"o_{demand.id}", blank=False)
            outcome_on = day_input("Outcome date", demand.outcome_on, f"od_{demand.id}")
            note = st.text_area("Outcome note", demand.outcome_note or "", key=f"on_{demand.id}")
            submitted = st.form_submit_button("Save outcome")
        if submitted:
            save(
                lambda: editing.correct_outcome(
                    engine, demand.id, outcome or "unknown", outcome_on, editor=editor, note=note
                ),
                "Outcome saved.",
            )

with demand_tab:
    if found.demands:
        st.markdown("**Correct a demand**")
        target = st.selectbox(
            "Demand to correct",
            list(demand_label),
            format_func=demand_label.__getitem__,
            key="edit_demand_fix",
        )
        demand = next(d for d in found.demands if d.id == target)
        with st.form(f"demand_{demand.id}"):
            text = st.text_area("Demand (paraphrase)", demand.text, key=f"dt_{demand.id}")
            kind = pick("Demand type", cb.DEMAND_TYPE, demand.demand_type, f"dk_{demand.id}", True)
            stated = day_input("First stated on", demand.first_stated_on, f"ds_{demand.id}")
            submitted = st.form_submit_button("Save demand")
        if submitted:
            save(
                lambda: editing.correct_demand(
                    engine,
                    demand.id,
                    editor=editor,
                    text=text,
                    demand_type=kind,
                    first_stated_on=stated,
                ),
                "Demand saved.",
            )
    st.markdown("**Add a demand**")
    with st.form("add_demand", clear_on_submit=True):
        text = st.text_area("Demand (paraphrase)")
        kind = pick("Demand type", cb.DEMAND_TYPE, None, "new_d_type", blank=True)
        stated = day_input("First stated on", None, "new_d_stated")
        outcome = pick("Outcome", cb.OUTCOME, "pending", "new_d_outcome", blank=False)
        outcome_on = day_input("Outcome date", None, "new_d_outcome_on")
        submitted = st.form_submit_button("Add demand")
    if submitted:
        save(
            lambda: editing.add_demand(
                engine,
                campaign.id,
                editor=editor,
                text=text,
                demand_type=kind,
                first_stated_on=stated,
                outcome=outcome or "pending",
                outcome_on=outcome_on,
            ),
            "Demand added.",
        )

with campaign_tab:
    with st.form(f"campaign_{campaign.id}"):
        title = st.text_input("Title", campaign.title)
        struggle = pick("Struggle", cb.STRUGGLE, campaign.struggle, f"cs_{campaign.id}", True)
        unit = st.text_input("Business unit", campaign.business_unit or "")
        started = day_input("Started on", campaign.started_on, f"cst_{campaign.id}")
        flag = st.selectbox(
            "Retaliation (participants fired, suspended or disciplined)",
            list(FLAGS),
            index=list(FLAGS.values()).index(campaign.retaliation),
            key=f"cr_{campaign.id}",
        )
        summary = st.text_area("Summary", campaign.summary or "")
        submitted = st.form_submit_button("Save campaign")
    if submitted:
        save(
            lambda: editing.correct_campaign(
                engine,
                campaign.id,
                editor=editor,
                title=title,
                struggle=struggle,
                business_unit=unit or None,
                started_on=started,
                retaliation=FLAGS[flag],
                summary=summary or None,
            ),
            "Campaign saved.",
        )
    st.caption("A campaign's outcome is rolled up from its demands: edit those instead.")

with action_tab:
    if found.actions:
        st.dataframe(
            pd.DataFrame([a.model_dump(exclude={"campaign_id"}) for a in found.actions]),
            hide_index=True,
        )
        action_label = {a.id: f"{a.tactic} {a.happened_on or 'undated'}" for a in found.actions}
        target = st.selectbox(
            "Action to correct",
            list(action_label),
            format_func=action_label.__getitem__,
            key="edit_action",
        )
        action = next(a for a in found.actions if a.id == target)
        with st.form(f"action_{action.id}"):
            tactic = pick("Tactic", cb.TACTIC, action.tactic, f"at_{action.id}", blank=False)
            happened = day_input("Happened on", action.happened_on, f"ad_{action.id}")
            description = st.text_area(
                "Description", action.description or "", key=f"ax_{action.id}"
            )
            submitted = st.form_submit_button("Save action")
        if submitted:
            save(
                lambda: editing.correct_action(
                    engine,
                    action.id,
                    editor=editor,
                    tactic=tactic,
                    happened_on=happened,
                    description=description or None,
                ),
                "Action saved.",
            )
    st.markdown("**Add an action**")
    with st.form("add_action", clear_on_submit=True):
        tactic = pick("Tactic", cb.TACTIC, None, "new_a_tactic", blank=False)
        happened = day_input("Happened on", None, "new_a_day")
        online = st.selectbox("Online", list(FLAGS), key="new_a_online")
        low = st.number_input("Participants (low estimate)", min_value=0, value=None, step=1)
        high = st.number_input("Participants (high estimate)", min_value=0, value=None, step=1)
        location = st.text_input("Location")
        description = st.text_area("Description")
        submitted = st.form_submit_button("Add action")
    if submitted:
        save(
            lambda: editing.add_action(
                engine,
                campaign.id,
                editor=editor,
                tactic=tactic or "other",
                happened_on=happened,
                online=FLAGS[online],
                participants_low=int(low) if low is not None else None,
                participants_high=int(high) if high is not None else None,
                location=location or None,
                description=description or None,
            ),
            "Action added.",
        )

with response_tab:
    for response in found.responses:
        answered = ", ".join(found.answers.get(response.id, [])) or "no demand linked"
        st.text(
            f"{response.responded_on or 'undated'} {response.response_type}: "
            f"{response.summary or ''} (answers {answered})"
        )
    if found.responses:
        response_label = {
            r.id: f"{r.responded_on or 'undated'} {r.response_type}" for r in found.responses
        }
        target = st.selectbox(
            "Response to correct",
            list(response_label),
            format_func=response_label.__getitem__,
            key="edit_response",
        )
        response = next(r for r in found.responses if r.id == target)
        with st.form(f"response_{response.id}"):
            rtype = pick(
                "Response type",
                cb.RESPONSE_TYPE,
                response.response_type,
                f"rt_{response.id}",
                False,
            )
            responded = day_input("Responded on", response.responded_on, f"rd_{response.id}")
            rsummary = st.text_area("Summary", response.summary or "", key=f"rs_{response.id}")
            submitted = st.form_submit_button("Save response")
        if submitted:
            save(
                lambda: editing.correct_response(
                    engine,
                    response.id,
                    editor=editor,
                    response_type=rtype,
                    responded_on=responded,
                    summary=rsummary or None,
                ),
                "Response saved.",
            )
    st.markdown("**Add a company response**")
    with st.form("add_response", clear_on_submit=True):
        rtype = pick("Response type", cb.RESPONSE_TYPE, None, "new_r_type", blank=False)
        responded = day_input("Responded on", None, "new_r_day")
        answers = st.multiselect(
            "Demands it answers", list(demand_label), format_func=demand_label.__getitem__
        )
        rsummary = st.text_area("Summary")
        speaker = st.text_input("Speaker role (e.g. CEO, spokesperson — a role, not a name)")
        submitted = st.form_submit_button("Add response")
    if submitted:
        save(
            lambda: editing.add_response(
                engine,
                campaign.id,
                editor=editor,
                response_type=rtype or "statement",
                responded_on=responded,
                demand_ids=list(answers),
                summary=rsummary or None,
                speaker_role=speaker or None,
            ),
            "Response added.",
        )

records_by_label = {f"campaign: {campaign.title[:60]}": ("campaign", campaign.id)}
records_by_label |= {f"demand: {label}": ("demand", d) for d, label in demand_label.items()}
records_by_label |= {
    f"action: {a.tactic} {a.happened_on or ''}": ("action", a.id) for a in found.actions
}
records_by_label |= {
    f"response: {r.response_type} {r.responded_on or ''}": ("response", r.id)
    for r in found.responses
}

with evidence_tab:
    with st.form("add_evidence", clear_on_submit=True):
        label = st.selectbox("Attach to", list(records_by_label))
        url = st.text_input("Source URL (http or https)")
        ekind = pick(
            "Kind (blank: guess from the address)", cb.EVIDENCE_KIND, None, "new_e_kind", True
        )
        quote = st.text_area("Quote (optional)")
        submitted = st.form_submit_button("Add evidence")
    if submitted:
        record_type, record_id = records_by_label[label]
        save(
            lambda: editing.add_evidence(
                engine,
                editor=editor,
                record_type=record_type,
                record_id=record_id,
                url=url,
                kind=ekind,
                quote=quote or None,
            ),
            "Evidence added.",
        )

st.subheader("History")
chosen = st.selectbox("Record", list(records_by_label), key="history_record")
record_type, record_id = records_by_label[chosen]
entries = history(URL, record_type, record_id)
if entries.empty:
    st.caption("No changes recorded for this record.")
else:
    st.table(entries.assign(at=entries["at"].astype(str).str[:19]))
