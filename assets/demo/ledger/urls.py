from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register('accounts', views.AccountViewSet)
router.register('transactions', views.TransactionViewSet)

urlpatterns = [
    path('', include(router.urls)),
    path('accounts/<int:account_id>/import/', views.import_transactions, name='import-transactions'),
]
