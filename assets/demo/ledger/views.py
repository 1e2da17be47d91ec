import csv
import io
from datetime import date

from django.db.models import Sum
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .models import Account, Transaction
from .serializers import AccountSerializer, TransactionSerializer


class AccountViewSet(viewsets.ModelViewSet):
    queryset = Account.objects.all()
    serializer_class = AccountSerializer

    @action(detail=True, methods=['get'])
    def summary(self, request, pk=None):
        account = self.get_object()
        by_category = (
            account.transactions.values('category')
            .annotate(total=Sum('amount'))
            .order_by('category')
        )
        return Response({'account': account.pk, 'by_category': list(by_category)})


class TransactionViewSet(viewsets.ModelViewSet):
    queryset = Transaction.objects.select_related('account')
    serializer_class = TransactionSerializer


@csrf_exempt
@require_POST
def import_transactions(request, account_id):
    """Bulk import from a bank CSV export: date,description,amount."""
    account = get_object_or_404(Account, pk=account_id)
    upload = request.FILES.get('file')
    if upload is None:
        return JsonResponse({'error': 'file is required'}, status=400)
    rows = list(csv.DictReader(io.StringIO(upload.read().decode('utf-8'))))
    print(f"[DEBUG] importing {len(rows)} rows into account {account.pk} ({account.name})")
    created = Transaction.objects.bulk_create(
        Transaction(
            account=account,
            description=row['description'][:255],
            amount=float(row['amount']),
            occurred_on=date.fromisoformat(row['date']),
        )
        for row in rows
    )
    return JsonResponse({'imported': len(created)})
