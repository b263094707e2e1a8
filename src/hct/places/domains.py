"""The seven domains of the English Indices of Deprivation 2019, as they appear in the data files."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Domain:
    key: str  # the model field prefix: <key>_rank, <key>_decile, <key>_transformed
    label: str
    file2_name: str  # the name in File 2's "<name> Rank (where 1 is most deprived)" columns
    file9_name: str  # the name in File 9's "<name> Score - exponentially transformed" columns


DOMAINS = (
    Domain("income", "Income", "Income", "Income"),
    Domain("employment", "Employment", "Employment", "Employment"),
    Domain(
        "education", "Education, skills and training", "Education, Skills and Training", "Education"
    ),
    Domain(
        "health",
        "Health deprivation and disability",
        "Health Deprivation and Disability",
        "Health",
    ),
    Domain("crime", "Crime", "Crime", "Crime"),
    Domain(
        "barriers",
        "Barriers to housing and services",
        "Barriers to Housing and Services",
        "Barriers",
    ),
    Domain("living_environment", "Living environment", "Living Environment", "Living Environment"),
)
DOMAIN_BY_KEY = {domain.key: domain for domain in DOMAINS}
DECILES = tuple(range(1, 11))
