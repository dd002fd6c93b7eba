"""Account request and response bodies (camelCase on the wire, plain Serializers)."""

from __future__ import annotations

from rest_framework import serializers

from config.api.fields import EmailField, TextField
from config.api.strict import StrictInputSerializer


class RegisterSerializer(StrictInputSerializer):
    email = EmailField()
    password = TextField(trim_whitespace=False, max_length=1024)
    firstName = TextField(source="first_name", max_length=150)
    lastName = TextField(source="last_name", max_length=150)
    company = TextField(required=False, allow_null=True, allow_blank=True, max_length=200)


class LoginSerializer(StrictInputSerializer):
    email = EmailField()
    password = TextField(trim_whitespace=False, max_length=1024)


class UserSerializer(serializers.Serializer):
    """The user as the token's tenant sees them (an ``Account``)."""

    id = serializers.UUIDField(source="user.id")
    email = serializers.EmailField(source="user.email")
    name = serializers.CharField(source="user.name", help_text="firstName and lastName joined.")
    firstName = serializers.CharField(source="user.first_name")
    lastName = serializers.CharField(source="user.last_name")
    role = serializers.ChoiceField(choices=["owner", "member"], help_text="Role in the tenant.")
    company = serializers.CharField(source="user.company", allow_null=True)


class AuthResultSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="HS256 JWT, valid 24 hours. Send as Bearer token.")
    user = UserSerializer(source="account")


class MessageSerializer(serializers.Serializer):
    message = serializers.CharField()
