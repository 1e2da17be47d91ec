from rest_framework import serializers

from .models import Account, Transaction


class AccountSerializer(serializers.ModelSerializer):
    class Meta:
        model = Account
        fields = ['id', 'name', 'institution', 'currency', 'balance', 'created_at']
        read_only_fields = ['balance', 'created_at']


class TransactionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Transaction
        fields = ['id', 'account', 'description', 'category', 'amount', 'occurred_on', 'created_at']
        read_only_fields = ['created_at']
