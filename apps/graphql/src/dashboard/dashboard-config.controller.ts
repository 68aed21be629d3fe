import { Controller, Get, Header, Inject } from '@nestjs/common';
import { GRAPHQL_CONFIG, type GraphqlConfig } from '../config';

/** `GET /dashboard-config.json`: what the dashboard needs to know beyond its own origin (no secrets). */
@Controller()
export class DashboardConfigController {
  constructor(@Inject(GRAPHQL_CONFIG) private readonly config: GraphqlConfig) {}

  @Get('dashboard-config.json')
  @Header('cache-control', 'no-store')
  dashboardConfig(): { ingestUrl: string } {
    return { ingestUrl: this.config.DASHBOARD_INGEST_URL?.replace(/\/+$/, '') ?? '' };
  }
}
