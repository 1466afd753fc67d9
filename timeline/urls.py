from django.urls import path

from timeline import views

app_name = "timeline"
urlpatterns = [
    path("", views.home, name="home"),
    path("n/<slug:slug>/", views.negotiation_timeline_view, name="negotiation"),
    path("n/<slug:slug>/where-things-stand/", views.standings_view, name="standings"),
    path("n/<slug:slug>/events/<int:pk>/", views.event_detail_view, name="event"),
    path("n/<slug:slug>/rounds/<int:sequence>/", views.round_detail, name="round"),
    path("negotiations/<slug:slug>/", views.negotiation_redirect, name="negotiation-long"),
    path("actors/<slug:slug>/", views.actor_detail, name="actor"),
    path("sources/<int:pk>/", views.source_detail, name="source"),
    path("embed/n/<slug:slug>/", views.embed_view, name="embed"),
]
