"""The schema: what a valid entry looks like, and what the models refuse."""

from __future__ import annotations

from typing import Any

import pydantic
import pytest
from kb.models import CaseStudy, Challenge, Placements, Reference, Sections, Solution, Step


def make_challenge(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": "concept-drift",
        "title": "Concept drift",
        "origin": "survey",
        "placements": {"arxiv_2020": "updating", "acm_2022": "updating"},
        "summary": "The joint distribution of inputs and targets changes over time.",
        "provenance": {"confidence": "corroborated"},
    }
    data.update(overrides)
    return data


def test_valid_challenge_loads() -> None:
    challenge = Challenge.model_validate(make_challenge())
    assert challenge.placements.versions() == ["arxiv_2020", "acm_2022"]
    assert challenge.placements.latest() == "updating"


def test_unknown_key_is_rejected() -> None:
    with pytest.raises(pydantic.ValidationError, match="Extra inputs are not permitted"):
        Challenge.model_validate(make_challenge(colour="red"))


def test_id_must_be_kebab_case() -> None:
    with pytest.raises(pydantic.ValidationError, match="pattern"):
        Challenge.model_validate(make_challenge(id="Concept_Drift"))


def test_placements_need_at_least_one_version() -> None:
    with pytest.raises(pydantic.ValidationError, match="at least one version"):
        Placements.model_validate({})


def test_acm_only_challenge_has_latest_step_from_acm() -> None:
    placements = Placements.model_validate({"acm_2022": "law"})
    assert placements.versions() == ["acm_2022"]
    assert placements.latest() == "law"


def test_section_numbers_must_be_quoted_text() -> None:
    with pytest.raises(pydantic.ValidationError):
        Sections.model_validate({"arxiv_2020": 3.1})
    assert Sections.model_validate({"acm_2022": "7.2"}).versions() == ["acm_2022"]


def test_case_study_needs_a_challenge_and_an_explicit_source() -> None:
    base = {
        "id": "x-case",
        "title": "A case",
        "origin": "survey",
        "kind": "case-study",
        "organisation": "Org",
        "industries": ["finance"],
        "summary": "Text.",
        "lessons": "Text.",
        "provenance": {"confidence": "single-source"},
    }
    with pytest.raises(pydantic.ValidationError) as info:
        CaseStudy.model_validate({**base, "challenges": []})
    fields = {e["loc"][0] for e in info.value.errors()}
    assert fields == {"challenges", "source"}
    case = CaseStudy.model_validate({**base, "challenges": ["a"], "source": None})
    assert case.versions == ["arxiv_2020", "acm_2022"]


def test_case_study_lists_industries_and_refuses_the_old_single_industry_key() -> None:
    base = {
        "id": "x",
        "title": "A case",
        "origin": "survey",
        "kind": "case-study",
        "organisation": "Org",
        "summary": "Text.",
        "lessons": "Text.",
        "challenges": ["a"],
        "source": None,
        "provenance": {"confidence": "paper"},
    }
    with pytest.raises(pydantic.ValidationError) as info:
        CaseStudy.model_validate({**base, "industry": "finance"})
    assert {(e["loc"][0], e["type"]) for e in info.value.errors()} == {
        ("industry", "extra_forbidden"),
        ("industries", "missing"),
    }
    with pytest.raises(pydantic.ValidationError, match="at least 1 item"):
        CaseStudy.model_validate({**base, "industries": []})
    case = CaseStudy.model_validate({**base, "industries": ["security-research", "healthcare"]})
    assert case.industries[0] == "security-research"  # the first one is the primary industry


def test_reference_doi_has_no_resolver_prefix() -> None:
    base = {
        "id": "r-2020",
        "title": "A work",
        "origin": "survey",
        "authors": ["A. Author"],
        "year": 2020,
        "kind": "paper",
        "details": "record",
        "provenance": {"confidence": "corroborated"},
    }
    assert Reference.model_validate({**base, "doi": "10.1145/3533378"}).doi == "10.1145/3533378"
    with pytest.raises(pydantic.ValidationError):
        Reference.model_validate({**base, "doi": "https://doi.org/10.1145/3533378"})


def test_every_entry_says_its_origin() -> None:
    data = make_challenge()
    del data["origin"]
    with pytest.raises(pydantic.ValidationError) as info:
        Challenge.model_validate(data)
    assert [(e["loc"], e["type"]) for e in info.value.errors()] == [(("origin",), "missing")]
    with pytest.raises(pydantic.ValidationError, match="'survey' or 'kb'"):
        Challenge.model_validate(make_challenge(origin="ours"))


def test_an_addition_has_its_own_step_and_no_table_1_placement() -> None:
    addition = make_challenge(origin="kb", placements=None, step="collaboration")
    assert Challenge.model_validate(addition).home_step == "collaboration"
    survey = Challenge.model_validate(make_challenge())
    assert (survey.home_step, survey.addition) == ("updating", False)
    with pytest.raises(
        pydantic.ValidationError, match="is not in the survey, so it has no Table 1 placements"
    ):
        Challenge.model_validate(make_challenge(origin="kb", step="collaboration"))
    with pytest.raises(pydantic.ValidationError, match="names the step of its area"):
        Challenge.model_validate(make_challenge(origin="kb", placements=None))
    with pytest.raises(pydantic.ValidationError, match="placed by Table 1"):
        Challenge.model_validate(make_challenge(step="collaboration"))
    with pytest.raises(pydantic.ValidationError, match="gives its Table 1 placements"):
        Challenge.model_validate(make_challenge(placements=None))


def test_an_addition_is_never_confirmed_by_the_paper() -> None:
    with pytest.raises(pydantic.ValidationError, match="not in the paper"):
        Challenge.model_validate(
            make_challenge(
                origin="kb", placements=None, step="x", provenance={"confidence": "paper"}
            )
        )


def test_versions_default_to_both_for_the_survey_and_none_for_an_addition() -> None:
    base = {
        "id": "feature-store",
        "title": "Feature store",
        "summary": "Text.",
        "kind": "practice",
        "steps": ["integration"],
        "challenges": ["data-dispersion"],
        "provenance": {"confidence": "corroborated"},
    }
    assert Solution.model_validate({**base, "origin": "survey"}).versions == [
        "arxiv_2020",
        "acm_2022",
    ]
    assert Solution.model_validate({**base, "origin": "kb"}).versions == []
    with pytest.raises(pydantic.ValidationError, match="not in the survey"):
        Solution.model_validate({**base, "origin": "kb", "versions": ["acm_2022"]})
    with pytest.raises(pydantic.ValidationError, match="gives its survey versions"):
        Solution.model_validate({**base, "origin": "survey", "versions": []})


def test_sections_belong_to_the_survey_s_steps_only() -> None:
    base = {
        "id": "collaboration",
        "title": "Collaboration",
        "summary": "Text.",
        "stage": "organisation-and-process",
        "order": 1,
        "provenance": {"confidence": "corroborated"},
    }
    assert Step.model_validate({**base, "origin": "kb"}).sections is None
    with pytest.raises(pydantic.ValidationError, match="gives its section numbers"):
        Step.model_validate({**base, "origin": "survey"})
    with pytest.raises(
        pydantic.ValidationError, match="is not in the survey, so it has no section numbers"
    ):
        Step.model_validate({**base, "origin": "kb", "sections": {"acm_2022": "9"}})
