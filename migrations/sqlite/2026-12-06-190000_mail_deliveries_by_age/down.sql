DROP INDEX mail_deliveries_updated;
