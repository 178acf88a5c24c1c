import { ApiProperty, ApiSchema } from '@nestjs/swagger';

// Documentation classes for the logout endpoints; `LogoutController` reads and writes these shapes itself.

@ApiSchema({ name: 'logoutFlow', description: 'Logout Flow' })
export class LogoutFlow {
  @ApiProperty({ description: 'The URL to open in the browser to sign out; it carries the logout token.' })
  logout_url!: string;

  @ApiProperty({ description: 'The token that signs out the session of the cookie it was created for.' })
  logout_token!: string;
}

@ApiSchema({ name: 'performNativeLogoutBody', description: 'Perform Native Logout Request Body' })
export class PerformNativeLogoutBody {
  @ApiProperty({ description: 'The session token to revoke.' })
  session_token!: string;
}
