"""The one-request checkout: `POST /sales/api/sales/checkout/`, a whole cart rung up and paid
at once (sales.services.one_step)."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from pos_project.actors import Actor
from pos_project.idempotency import IDEMPOTENCY_PARAMETER, idempotent
from pos_project.metrics import CHECKOUTS, counting_outcome
from pos_project.schema import error_responses
from pos_project.tenancy import business_of
from sales.api.refusals import CHECKOUT_REFUSALS
from sales.api.serializers import SaleCheckoutSerializer, SaleWithLinesSerializer
from sales.services.one_step import CartLine, sale_checkout


class SaleCheckoutView(APIView):
    @extend_schema(
        operation_id="sales_checkout",
        summary="Ring up and complete a whole cart in one request",
        description=(
            "Creates and completes the sale in one transaction, with the rules of the draft "
            "flow (`POST /sales/api/sales/`, `.../items/`, `.../complete/`): prices from the "
            "catalogue never above `ppv`, the same medicine merged into one line, split "
            "tender, the credit limit, the stock. Any refusal is the draft flow's error and "
            "leaves no sale, line or stock movement behind. Send an `Idempotency-Key`: a "
            "retry with the same key answers the first sale. The answer's lines carry no "
            "`lots`; the sale's detail and receipt have them."
        ),
        request=SaleCheckoutSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={
            201: SaleWithLinesSerializer,
            **error_responses(400, 401, 403, 404, 409, 422),
            **CHECKOUT_REFUSALS,
        },
    )
    @idempotent
    def post(self, request):
        business = business_of(request)
        with counting_outcome(CHECKOUTS):
            serializer = SaleCheckoutSerializer(
                data=request.data, context={"request": request, "business": business}
            )
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
            sale = sale_checkout(
                business=business,
                storefront=data["storefront"],
                type=data["type"],
                customer=data.get("customer"),
                lines=[CartLine(**line) for line in data["items"]],
                payments=data["payments"],
                override_credit_limit=data["override_credit_limit"],
                notes=data.get("notes", ""),
                actor=Actor.from_request(request),
            )
        return Response(
            SaleWithLinesSerializer(sale, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )
