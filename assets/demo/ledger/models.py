from django.db import models


class Account(models.Model):
    name = models.CharField(max_length=100)
    institution = models.CharField(max_length=100, blank=True)
    currency = models.CharField(max_length=3, default='USD')
    balance = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.name


class Transaction(models.Model):
    CATEGORY_CHOICES = [
        ('income', 'Income'),
        ('housing', 'Housing'),
        ('food', 'Food'),
        ('transport', 'Transport'),
        ('other', 'Other'),
    ]

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name='transactions')
    description = models.CharField(max_length=255)
    category = models.CharField(max_length=20, choices=CATEGORY_CHOICES, default='other')
    amount = models.FloatField()
    occurred_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ['-occurred_on', '-id']

    def __str__(self):
        return f'{self.occurred_on} {self.description} {self.amount}'
