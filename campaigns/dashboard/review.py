"""Review: the engine's suggestions, each with its post (as plain text), the proposed record,
the reasons, and accept / reject / edit for a signed-in editor (viewers only read).
"""

from __future__ import annotations

import functools
from typing import Any

import streamlit as st

from campaigns import codebook as cb
from campaigns.access import current_editor
from campaigns.dashboard.loaders import clear_after_edit
from campaigns.dashboard.signin import sign_in_panel
from campaigns.dashboard.state import store
from campaigns.dashboard.ui import escape_markdown
from campaigns.review import (
    MORE_DEMANDS,
    NONE,
    ReviewError,
    accept,
    count_suggestions,
    edit,
    list_suggestions,
    proposal_summary,
    queued_companies,
    reject,
    stored_campaigns,
)

PAGE_SIZE = 25
ROLES_REVIEWED = [r for r in cb.POST_ROLE.values if r != "other"]  # "other" is never queued

st.title("Review the engine's suggestions")
engine = store()
editor = current_editor()
if editor is None:
    sign_in_panel(engine)
    st.caption("You can read the queue; accepting, rejecting and editing need an editor.")
else:
    st.caption(f"Signed in as {escape_markdown(editor.removeprefix('human:'))}")

for message in st.session_state.pop("review_messages", []):
    st.success(message)

status = st.radio(
    "Show", ["proposed", "accepted", "rejected"], horizontal=True, key="review_status"
)
filters = st.columns(3)
min_score = filters[0].slider("Lowest score shown", 0.0, 1.0, 0.0, 0.05, key="review_min_score")
role_shown = filters[1].selectbox("Role", ["all", *ROLES_REVIEWED], key="review_role")
role_filter = None if role_shown == "all" else role_shown
company_shown = filters[2].selectbox(
    "Company", ["all", *queued_companies(engine, status=status)], key="review_company"
)
company_filter = None if company_shown == "all" else company_shown
total = count_suggestions(
    engine, status=status, min_score=min_score, role=role_filter, company=company_filter
)
if not total:
    st.info(
        "No suggestions here. Import posts (`campaigns import posts FILE.jsonl`) and run "
        "`campaigns link` to queue new ones."
    )
    st.stop()
pages = (total + PAGE_SIZE - 1) // PAGE_SIZE
page = 1
if pages > 1:
    page = int(st.number_input("Page", 1, pages, 1, key="review_page"))
rows = list_suggestions(
    engine, status=status, min_score=min_score, role=role_filter, company=company_filter,
    limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE,
)  # fmt: skip
st.caption(f"{total} suggestions, best first; page {page} of {pages}, {PAGE_SIZE} a page.")


def act(action: str, suggestion_id: int, changes: dict[str, str] | None = None) -> None:
    """Run one review action for the signed-in editor and report the result."""
    assert editor is not None
    try:
        if action == "accept":
            decisions = accept(engine, [suggestion_id], reviewer=editor)
            done = ", ".join(decisions[0].records)
            st.session_state["review_messages"] = [f"Accepted {suggestion_id}: {done}"]
        elif action == "reject":
            reject(engine, [suggestion_id], reviewer=editor)
            st.session_state["review_messages"] = [f"Rejected {suggestion_id}."]
        else:
            edit(engine, suggestion_id, changes or {}, reviewer=editor)
            st.session_state["review_messages"] = [f"Edited {suggestion_id}."]
    except ReviewError as exc:
        st.error(escape_markdown(exc))  # it may repeat what the editor typed
        return
    clear_after_edit()
    st.rerun()


def _demand_choice(choices: dict[str, str], demand_id: str | None) -> str:
    return "none chosen" if demand_id is None else choices[demand_id]


def _campaign_label(named: dict[str, str], campaign_id: str) -> str:
    return f"{named[campaign_id]} ({campaign_id})"


def _demand_label(demand: dict[str, Any]) -> str:
    """A demand as an option: its start, its date and its id (shown as plain text)."""
    text = str(demand.get("text") or "")
    start = text[:70] + ("…" if len(text) > 70 else "")
    return f"{start} ({demand.get('first_stated_on') or 'undated'}, {demand.get('id')})"


campaigns_at: dict[str | None, dict[str, str]] = {}  # the store's campaigns by company
for row in rows:
    proposal = row["proposal"]
    sid = row["id"]
    with st.container(border=True):
        st.subheader(f"#{sid} · {row['role']} · score {row['score']:.2f}")
        left, right = st.columns(2)
        with left:
            author = escape_markdown(row["author"] or "unknown")  # a handle is the poster's text
            st.caption(f"Post by {author} on {(row['posted_at'] or '')[:10]}")
            st.text(row["post_text"] or "(empty post)")
            if row["post_url"]:
                st.text(row["post_url"])
            if row["evidence_links"]:
                st.caption("Pages it links, kept as evidence when accepted")
                st.text("\n".join(row["evidence_links"]))
            st.caption("Why the engine proposes this")
            st.text("\n".join(f"- {reason}" for reason in row["reasons"]))
        with right:
            st.caption("Proposed records")
            st.text("\n".join(proposal_summary(proposal)))
            with st.expander("The whole proposal (JSON)"):
                st.json(proposal, expanded=True)
        if editor is None or status != "proposed":
            continue
        buttons = st.columns(2)
        if buttons[0].button("Accept", key=f"accept-{sid}", type="primary"):
            act("accept", sid)
        if buttons[1].button("Reject", key=f"reject-{sid}"):
            act("reject", sid)
        with st.expander("Edit before accepting"):
            role = st.selectbox(
                "Role", cb.POST_ROLE.values, key=f"role-{sid}",
                index=cb.POST_ROLE.values.index(row["role"]),
            )  # fmt: skip
            codes: dict[str, str] = {}
            stated = (proposal.get("demand") or {}).get("stated_by_post") == row["post_id"]
            if role == "action" and not stated:
                # the reviewer reads a demand in the action's post ("a letter asking ... to")
                stated = st.checkbox("Its post states a demand", key=f"states-{sid}")
            if role == "demand" or (role == "action" and stated):
                current = (proposal.get("demand") or {}).get("demand_type") or "other"
                codes["demand_type"] = st.selectbox(
                    "Demand type", cb.DEMAND_TYPE.values, key=f"dt-{sid}",
                    index=cb.DEMAND_TYPE.values.index(current),
                )  # fmt: skip
            listed = proposal.get("more_demands") or []
            if listed and (role == "demand" or (role == "action" and stated)):
                # "Our demands: A, B, and C": accepting creates each; untick when it is one
                keep = st.checkbox(
                    f"It lists {len(listed)} more demand{'s' if len(listed) > 1 else ''} "
                    "(accepting creates each)",
                    value=True,
                    key=f"listed-{sid}",
                )
                if not keep:
                    codes[MORE_DEMANDS] = NONE
            reports = role == "action"
            if role in ("demand", "response", "outcome"):
                # a demand's or an answer's post may report an action too ("we walked out
                # today: ...", "after Tuesday's walkout the company agreed to ...")
                had_action = bool(proposal.get("action"))
                reports = st.checkbox(
                    "Its post reports an action", value=had_action, key=f"reports-{sid}"
                )
                if had_action and not reports:
                    codes["tactic"] = NONE
            if reports:
                current = (proposal.get("action") or {}).get("tactic") or "other"
                codes["tactic"] = st.selectbox(
                    "Tactic", cb.TACTIC.values, key=f"tactic-{sid}",
                    index=cb.TACTIC.values.index(current),
                )  # fmt: skip
            current = (proposal.get("campaign") or {}).get("struggle")
            about: list[str | None] = [*([] if current else [None]), *cb.STRUGGLE.values]
            struggle = st.selectbox(
                "The campaign is about", about, key=f"struggle-{sid}",
                index=about.index(current), format_func=lambda v: v or "not coded yet",
            )  # fmt: skip
            if struggle is not None and struggle != current:
                codes["struggle"] = struggle
            if role == "response":
                current = (proposal.get("response") or {}).get("response_type") or "statement"
                codes["response_type"] = st.selectbox(
                    "Response type", cb.RESPONSE_TYPE.values, key=f"rt-{sid}",
                    index=cb.RESPONSE_TYPE.values.index(current),
                )  # fmt: skip
            if role in ("response", "outcome"):
                current = (proposal.get("outcome") or {}).get("value") or "unknown"
                codes["outcome"] = st.selectbox(
                    "Outcome", cb.OUTCOME.values, key=f"outcome-{sid}",
                    index=cb.OUTCOME.values.index(current),
                )  # fmt: skip
            # the campaign in the store it belongs to instead: one at its company, by title
            proposed = proposal.get("campaign") or {}
            here = str(proposed.get("id") or "")
            company_slug = proposal.get("company")
            if company_slug not in campaigns_at:  # once per company on the page
                campaigns_at[company_slug] = dict(stored_campaigns(engine, company_slug))
            places = campaigns_at[company_slug]
            if here and set(places) - {here}:
                named = {
                    **places,
                    here: ("new: " if proposed.get("new") else "")
                    + str(proposed.get("title") or here),
                }
                where: list[str] = [here, *(c for c in places if c != here)]
                placed: str = st.selectbox(
                    "Campaign", where, key=f"campaign-{sid}",
                    format_func=functools.partial(_campaign_label, named),
                )  # fmt: skip
                if placed != here:
                    codes["campaign"] = placed  # its demands are offered once saved
            answered = (proposal.get("demand") or {}).get("id")
            choices = {
                demand["id"]: _demand_label(demand)
                for demand in [proposal.get("demand") or {}, *proposal.get("alternatives", [])]
                if demand.get("id")
            }
            offer = len(choices) > 1 or (bool(choices) and not answered)
            if role in ("response", "outcome") and offer:
                # with no demand linked, the ones it may answer are offered after "none chosen"
                options: list[str | None] = [*([] if answered else [None]), *choices]
                picked = st.selectbox(
                    "Answers the demand", options, key=f"answers-{sid}",
                    index=options.index(answered) if answered in options else 0,
                    format_func=functools.partial(_demand_choice, choices),
                )  # fmt: skip
                if picked is not None and picked != answered and "campaign" not in codes:
                    codes["demand"] = picked
            if st.button("Save changes", key=f"edit-{sid}"):
                act("edit", sid, {"role": role, **codes})
