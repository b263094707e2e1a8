from hct.demo import synthetic
from hct.learning.figures import Period, figures_for
from hct.learning.models import FieldNote, WellbeingCheck
from hct.learning.reports import report_neighbourhoods
from hct.learning.selectors import default_period


def test_the_synthetic_city_asks_people_how_they_are_and_a_second_city_replaces_the_first(demo):
    demo_checks = WellbeingCheck.objects.filter(synthetic=False).count()
    synthetic.generate(people=300, seed=7)
    first = WellbeingCheck.objects.filter(person__synthetic_batch="city").count()
    assert first > 100
    assert FieldNote.objects.filter(synthetic=True).count() == 25 * 7
    neighbourhoods = report_neighbourhoods(demo.partnership)
    figures = figures_for(neighbourhoods, Period(*default_period(neighbourhoods)))
    assert sum(f.wellbeing.pairs for f in figures) > 0
    synthetic.generate(people=300, seed=7)
    assert WellbeingCheck.objects.filter(person__synthetic_batch="city").count() == first
    assert FieldNote.objects.filter(synthetic=True).count() == 25 * 7
    assert WellbeingCheck.objects.filter(synthetic=False).count() == demo_checks
