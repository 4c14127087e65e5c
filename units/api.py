"""API: sign-in with a bearer token, my tokens, who am I, and the units I can see."""

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from lib.api import error_responses
from lib.errors import DomainError
from units import permissions, selectors, services
from units.models import ApiToken, Unit


class LockedOut(DomainError):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label=_("Tên đăng nhập"), max_length=150)
    password = serializers.CharField(label=_("Mật khẩu"), max_length=128, style={"input_type": "password"})


class TokenView(APIView):
    """Exchange a user name and password for a bearer token (shown once)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            201: inline_serializer("Token", {"token": serializers.CharField(), "token_type": serializers.CharField()}),
            **error_responses(400, 429),
        },
        auth=[],
    )
    def post(self, request):
        form = TokenRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        django_request = request._request
        user = authenticate(django_request, **form.validated_data)
        if getattr(django_request, "axes_locked_out", False):
            raise LockedOut(_("Đăng nhập sai quá nhiều lần. Tài khoản tạm khóa, vui lòng thử lại sau."))
        if user is None:
            raise DomainError(_("Tên đăng nhập hoặc mật khẩu không đúng."))
        # As a session sign-in does: the audit trail and the lockout's success bookkeeping listen to it.
        user_logged_in.send(sender=user.__class__, request=django_request, user=user)
        return Response(
            {"token": services.api_token_issue(user=user), "token_type": "Bearer"},  # nosec B105  # a type name, no secret
            status=status.HTTP_201_CREATED,
        )


class ApiTokenSerializer(serializers.ModelSerializer):
    current = serializers.SerializerMethodField(help_text=_("Mã đang dùng cho chính yêu cầu này"))

    class Meta:
        model = ApiToken
        fields = ["id", "prefix", "created_at", "last_used_at", "expires_at", "current"]

    def get_current(self, token) -> bool:
        return isinstance(self.context["request"].auth, ApiToken) and self.context["request"].auth.pk == token.pk


class ApiTokenList(generics.ListAPIView):
    """My API tokens that still work, newest first. A token itself is shown only when created."""

    serializer_class = ApiTokenSerializer

    def get_queryset(self):
        return selectors.api_tokens_live(user=self.request.user)


class ApiTokenDetail(APIView):
    @extend_schema(responses={204: None}, description=_("Thu hồi một mã truy cập của tôi; mã ngừng hoạt động ngay."))
    def delete(self, request, pk: int):
        token = permissions.api_token_get_for(request.user, pk)
        services.api_token_revoke(token=token, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class UnitSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.abbreviation")
    parent = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)  # null for a top-level unit

    class Meta:
        model = Unit
        fields = ["id", "name", "abbreviation", "kind", "agency", "parent", "is_active"]


class MembershipSerializer(serializers.Serializer):
    unit = UnitSerializer()
    position = serializers.CharField()
    is_head = serializers.BooleanField()


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    full_name = serializers.CharField()
    email = serializers.EmailField()
    agency = serializers.CharField(source="agency.abbreviation", default=None, allow_null=True)
    roles = serializers.SerializerMethodField()
    memberships = MembershipSerializer(many=True, source="memberships.all")
    supervised_units = UnitSerializer(many=True, source="supervised_units.all")

    def get_roles(self, person) -> list[str]:
        return sorted(person.roles)


class MeView(APIView):
    @extend_schema(responses=MeSerializer)
    def get(self, request):
        person = selectors.person_profile(user_id=request.user.pk)
        return Response(MeSerializer(person).data)


class UnitList(generics.ListAPIView):
    """The units of my agency (all agencies for an installation administrator)."""

    serializer_class = UnitSerializer

    def get_queryset(self):
        return permissions.units_visible_to(self.request.user).order_by("agency__abbreviation", "name")


urlpatterns = [
    path("auth/token", TokenView.as_view(), name="api-token"),
    path("auth/tokens", ApiTokenList.as_view(), name="api-tokens"),
    path("auth/tokens/<int:pk>", ApiTokenDetail.as_view(), name="api-token-detail"),
    path("me", MeView.as_view(), name="api-me"),
    path("units", UnitList.as_view(), name="api-units"),
]
