"""The demo's training: a resident of 7R01108 in Almaty with a logbook, sign-offs and
assessments, and the AML experience exchange of May 2024 with its attendance.

The resident's cases, credits, assessments and the programme's local minimums are invented
for the demonstration (marked "демо"). The AML exchange follows its public report (the
project's ``sources/001_b0a4c2184b5dfdd2.txt``): "«Жедел миелобластты лейкоз. Теориядан
тәжірибеге»", 22-24 May 2024, the Haematology Centre's Karaganda branch, 17 Saken Seifullin
Avenue; 12 physicians from Taldykorgan, Aktobe, Taraz, Shymkent, Pavlodar, Astana,
Ust-Kamenogorsk and Almaty, and four guests from Tbilisi and Tashkent; the five topics. The
physicians are not named there (their names here are demo names), nor are the days of each
topic (spread over the three days here); everyone is marked present on every day.
"""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from nucmed.services.training.assessments import AssessmentEntry, add_assessment
from nucmed.services.training.courses import (
    CourseInput,
    ParticipantInput,
    add_participant,
    add_session,
    create_course,
    mark,
)
from nucmed.services.training.enrolment import (
    CreditEntry,
    Enrolment,
    MinimumSetting,
    enrol,
    record_credits,
    set_requirement,
)
from nucmed.services.training.logbook import CaseEntry, Decision, add_case, sign_case
from nucmed.services.uow import Store
from nucmed.store.hotlab import Administration
from nucmed.store.models import Site, User
from nucmed.store.therapy import TherapyCourse
from nucmed.training.programme import Text

__all__ = ["AML_COURSE", "load_aml_exchange", "load_residency"]

AML_COURSE = "AML-2024-05"
_DEMO = "демо: местные минимумы демонстрации, установленные руководителем программы"
_MINIMUMS = (
    ("procedure", "bone-joint", 20),
    ("procedure", "oncology", 20),
    ("procedure", "therapy", 10),
    ("assessment", "dops", 2),
    ("assessment", "mini-cex", 2),
)
_CREDITS = (
    ("medical-physics", 6),
    ("radiopharmacology", 4),
    ("radiology", 12),
    ("radionuclide-diagnostics", 24),
    ("radionuclide-therapy", 30),
)


def _today(store: Store, site: Site) -> date:
    return store.now().astimezone(ZoneInfo(site.time_zone)).date()


def _cases(store: Store, site: Site, today: date) -> list[tuple[CaseEntry, Decision | None]]:
    given = store.session.scalar(
        select(Administration.id).where(Administration.site_id == site.id).limit(1)
    )
    course = store.session.scalar(
        select(TherapyCourse.id).where(TherapyCourse.site_id == site.id).limit(1)
    )
    return [
        (
            CaseEntry(today, "bone-joint", "supervised", "radionuclide-diagnostics",
                      ("ОН1", "ОН3"), "Остеосцинтиграфия всего тела (демо)",
                      administration_id=given),
            Decision("approved", "Заключение верное"),
        ),
        (
            CaseEntry(today - timedelta(days=20), "therapy", "assisted", "radionuclide-therapy",
                      ("ОН2", "ОН3", "ОН8"), "177Lu-DOTATATE, 2-й цикл (демо)",
                      therapy_course_id=course),
            Decision("approved", ""),
        ),
        (
            CaseEntry(today - timedelta(days=3), "cardiovascular", "performed",
                      "radionuclide-diagnostics", ("ОН1",), "Перфузия миокарда (демо)"),
            Decision("returned", "Укажите протокол нагрузки"),
        ),
        (
            CaseEntry(today - timedelta(days=1), "oncology", "supervised",
                      "radionuclide-diagnostics", ("ОН1", "ОН7"), "ПЭТ/КТ с 18F-ФДГ (демо)"),
            None,
        ),
    ]  # fmt: skip


def load_residency(store: Store, site: Site, resident: User, supervisor: User) -> None:
    """Enrol the site's demo resident with its demo supervisor and fill the logbook, in the
    caller's transaction."""
    today = _today(store, site)
    enrolment = Enrolment(
        resident.id, supervisor.id, "7R01108", "thyroid-therapy", today - timedelta(days=400)
    )
    enrol(store, supervisor, site, enrolment)
    for kind, item, minimum in _MINIMUMS:
        set_requirement(
            store, supervisor, site, MinimumSetting("7R01108", kind, item, minimum, _DEMO)
        )
    for discipline, credits in _CREDITS:
        record_credits(
            store, supervisor, site, CreditEntry(resident.id, discipline, credits, "демо")
        )
    for entry, decision in _cases(store, site, today):
        case = add_case(store, resident, site, entry)
        if decision is not None:
            sign_case(store, supervisor, site, case, decision)
    for kind, subject, rating in (
        ("dops", "Введение 177Lu-DOTATATE (демо)", "meets"),
        ("mini-cex", "Консультация перед радиойодтерапией (демо)", "above"),
    ):
        add_assessment(
            store,
            supervisor,
            site,
            AssessmentEntry(resident.id, kind, today - timedelta(days=7), subject, rating,
                            "Безопасная работа; объяснять ограничения медленнее (демо)",
                            ("ОН2", "ОН3", "ОН10")),
        )  # fmt: skip


_TOPICS = (
    (0, Text("ДДСҰ-ның 2022 жылғы жіктемесіне сәйкес ЖМЛ-дың клиникалық ерекшеліктері мен "
             "диагностикалық критерийлері",
             "Клинические особенности и диагностические критерии ОМЛ по классификации ВОЗ 2022",
             "Clinical features and diagnostic criteria of AML by the WHO 2022 classification")),
    (0, Text("ELN 2022 бойынша генетикалық қауіп-қатерді стратификациялау",
             "Стратификация генетического риска по ELN 2022",
             "Genetic risk stratification by ELN 2022")),
    (1, Text("Ағынды цитометрия мен молекулалық-генетикалық зерттеулер нәтижелерін түсіндіру, "
             "соның ішінде FLT3 мутациясын анықтау",
             "Интерпретация результатов проточной цитометрии и молекулярно-генетических "
             "исследований, в том числе определение мутации FLT3",
             "Interpreting flow cytometry and molecular genetic results, including FLT3 testing")),
    (1, Text("FLT3 мутациясының болжамдық маңызы және ELN 2022 мен NCCN 2024 ұсынымдарына "
             "негізделген терапияны таңдау",
             "Прогностическое значение мутации FLT3 и выбор терапии по рекомендациям ELN 2022 "
             "и NCCN 2024",
             "Prognostic value of FLT3 mutation and the choice of therapy by ELN 2022 and "
             "NCCN 2024")),
    (2, Text("Шетелдік ұсынымдарды жергілікті клиникалық тәжірибеге бейімдеу",
             "Адаптация зарубежных рекомендаций к местной клинической практике",
             "Adapting foreign recommendations to local clinical practice")),
)  # fmt: skip
_PHYSICIANS = (
    ("Талдықорған", "kk"), ("Ақтөбе", "kk"), ("Тараз", "kk"), ("Шымкент", "kk"),
    ("Шымкент", "ru"), ("Павлодар", "ru"), ("Астана", "kk"), ("Астана", "ru"),
    ("Өскемен", "ru"), ("Алматы", "kk"), ("Алматы", "ru"), ("Алматы", "ru"),
)  # fmt: skip
_GUESTS = (
    ParticipantInput("Нино Шарашенидзе", "Медицинский центр высоких технологий", "Тбилиси", "GE",
                     "guest", "en"),
    ParticipantInput("Нино Сескурия", "Немецкая больница", "Тбилиси", "GE", "guest", "en"),
    ParticipantInput("Бергер Инна Викторовна",
                     "Республиканский специализированный научно-практический медицинский центр "
                     "гематологии", "Ташкент", "UZ", "guest", "ru"),
    ParticipantInput("Махамадалиева Гулчехра Зухриддиновна",
                     "Республиканский специализированный научно-практический медицинский центр "
                     "гематологии", "Ташкент", "UZ", "guest", "ru"),
)  # fmt: skip


def load_aml_exchange(store: Store, site: Site, director: User) -> None:
    """The AML experience exchange of 22-24 May 2024, recorded at ``site`` (whose people run
    the demo's training), with everyone present on every day; in the caller's transaction."""
    course = create_course(
        store,
        director,
        site,
        CourseInput(
            AML_COURSE,
            "exchange",
            Text("Жедел миелобластты лейкоз. Теориядан тәжірибеге",
                 "Острый миелобластный лейкоз. От теории к практике",
                 "Acute myeloid leukaemia. From theory to practice"),
            Text("Гематология орталығы, Қарағанды филиалы",
                 "Гематологический центр, Карагандинский филиал",
                 "Haematology Centre, Karaganda branch"),
            date(2024, 5, 22),
            date(2024, 5, 24),
            "Қарағанды",
            "Сәкен Сейфуллин даңғылы, 17",
        ),
    )  # fmt: skip
    for offset, topic in _TOPICS:
        add_session(store, course, course.starts_on + timedelta(days=offset), topic, "")
    people = [
        ParticipantInput(f"Дәрігер {n:02d}, {city} (демо)", f"{city}: көпбейінді аурухана (демо)",
                         city, "KZ", "participant", language)
        for n, (city, language) in enumerate(_PHYSICIANS, start=1)
    ] + list(_GUESTS)  # fmt: skip
    for given in people:
        participant = add_participant(store, director, course, given)
        for offset in range(3):
            mark(store, director, participant, course.starts_on + timedelta(days=offset), True)
