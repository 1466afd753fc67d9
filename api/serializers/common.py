"""Small nested shapes shared by several endpoints."""

from __future__ import annotations

from rest_framework import serializers

from timeline.models import Actor, Article, Issue, Outlet, Place, Round


class ActorRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Actor
        fields = ["slug", "name", "kind"]


class PlaceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Place
        fields = ["slug", "name", "country_code", "latitude", "longitude"]


class RoundRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Round
        fields = ["id", "sequence", "name"]


class IssueRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Issue
        fields = ["id", "slug", "title"]


class OutletSerializer(serializers.ModelSerializer):
    class Meta:
        model = Outlet
        fields = ["slug", "name", "domain", "description", "country_code"]


class ArticleRefSerializer(serializers.ModelSerializer):
    outlet = OutletSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Article
        fields = ["id", "title", "url", "outlet", "published_at"]
