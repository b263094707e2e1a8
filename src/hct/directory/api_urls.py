from django.urls import path

from hct.directory import api

app_name = "oruk"
urlpatterns = [
    path("", api.root, name="root"),
    path("openapi.json", api.openapi_json, name="openapi"),
    path("services", api.services, name="services"),
    path("services/<str:service_id>", api.service, name="service"),
    path("service_at_locations", api.service_at_locations, name="service-at-locations"),
    path("service_at_locations/<str:link_id>", api.service_at_location, name="service-at-location"),
    path("taxonomies", api.taxonomies, name="taxonomies"),
    path("taxonomies/<str:taxonomy_id>", api.taxonomy, name="taxonomy"),
    path("taxonomy_terms", api.taxonomy_terms, name="taxonomy-terms"),
    path("taxonomy_terms/<str:term_id>", api.taxonomy_term, name="taxonomy-term"),
]
