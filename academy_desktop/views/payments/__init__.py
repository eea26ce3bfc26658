"""The payments workspace: balances, take payment, receipts, refunds, cash-up."""
