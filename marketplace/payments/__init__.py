"""Payments: VietQR bank transfers (NAPAS 247) and card payments through Stripe."""
