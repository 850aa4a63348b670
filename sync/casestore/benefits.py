"""Benefits without application (免申即享, article 23): what a person receives without applying.

DEMO DATA. The reference case store is connected to no civil-affairs benefits register: age comes
from the ID number, the rest is made up by chance seeded from the number (sync/casestore/demo_data.py).
A deployment replaces `benefits_for` with calls to the register; the API stays as it is.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, HTTPException, Request, status
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session, sessionmaker

from kiosk.application import CHINA_TZ
from sync.casestore import people
from sync.casestore.answers import REFUSED
from sync.casestore.card_proof import CardProofs
from sync.casestore.demo_data import SeededNumbers, Text, t
from sync.casestore.lookup_quota import Quota
from sync.signing import TIMESTAMP_HEADER
from sync.wire import BenefitsIn


class Benefit(BaseModel):
    """A policy the person is entitled to without applying: what it gives, what happens next, when money comes."""

    code: str
    name: Text
    amount: Text
    next_step: Text
    payment: Text


class Benefits(BaseModel):
    benefits: list[Benefit] = Field(description="Empty when nothing applies to the person.")
    demo: bool


def _age(id_number: str, today: dt.date) -> int | None:
    try:
        born = dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def benefits_for(id_number: str, today: dt.date) -> list[Benefit]:
    """Age from the ID number; the rest (a household register, low income) is demo chance by the number."""
    age = _age(id_number, today)
    rng = SeededNumbers(id_number, "benefits")
    only_child_parent, subsidised = rng.random() < 0.5, rng.random() < 0.3
    found = []
    if age is not None and age >= 80:
        monthly = 100 if age < 90 else 200 if age < 100 else 500
        found.append(Benefit(
            code="elderly_allowance", name=t("高龄津贴", "Old-age allowance (80 and over)"),
            amount=t(f"每月 {monthly} 元", f"CNY {monthly} a month"),
            next_step=t("民政部门已根据户籍信息自动核定，无需申请，也无需到场。",
                         "Civil affairs have confirmed it from the household register: no application, no visit."),
            payment=t("每季度首月 15 日前发放至本人社会保障卡。",
                       "Paid to your social security card by the 15th of each quarter's first month.")))
    if age is not None and age >= 60 and only_child_parent:
        found.append(Benefit(
            code="only_child_parent", name=t("独生子女父母奖励", "Reward for parents of an only child"),
            amount=t("每年 960 元", "CNY 960 a year"),
            next_step=t("卫生健康部门已核对计划生育档案，自动纳入发放名单。",
                         "The health commission checked the family-planning records and added you to the list."),
            payment=t("每年 6 月底前一次性发放至本人社会保障卡。",
                       "Paid once a year, by the end of June, to your social security card.")))
    if subsidised:
        found.append(Benefit(
            code="medical_insurance_subsidy",
            name=t("城乡居民医保参保补贴", "Subsidy for residents' medical insurance"),
            amount=t("个人缴费部分由财政全额资助", "Your own contribution is paid in full by the state"),
            next_step=t("医疗保障部门按困难群众名单自动资助参保，您无需缴费。",
                         "The healthcare security office enrols you from the assistance list: you pay nothing."),
            payment=t("直接抵扣下一年度个人缴费，不发放现金。",
                       "Set against next year's contribution; no cash is paid.")))
    return found


def router(sessions: sessionmaker[Session], calling_kiosk: Any, proofs: CardProofs) -> APIRouter:
    api = APIRouter(prefix="/api/v1")
    quota = Quota(sessions)

    @api.post("/benefits", responses={403: {"description": "No proof that the card was read in this visit."},
                                      409: {"description": "The name is not the one on record for the ID number."},
                                      429: {"description": "Too many look-ups from this kiosk or for this person."},
                                      **REFUSED})
    def benefits(body: BenefitsIn, request: Request, kiosk: str = calling_kiosk) -> Benefits:
        """Benefits the person receives without applying (免申即享); demo data, see the module.
        Only with proof the card was read in this visit (sync/casestore/card_proof.py), checked first;
        counted per kiosk and per ID number (sync/casestore/lookup_quota.py), a wrong name too
        (sync/casestore/people.py)."""
        now = dt.datetime.now(dt.UTC)
        proofs.check(body.id_number, body.proof, request.headers.get(TIMESTAMP_HEADER, ""), now)
        exhausted = quota.take(kiosk, body.id_number, now)
        if exhausted:
            raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, exhausted)
        people.check(body.id_number, body.name)
        return Benefits(benefits=benefits_for(body.id_number, dt.datetime.now(CHINA_TZ).date()), demo=True)

    return api
