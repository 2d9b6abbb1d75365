import { Controller, Get, Inject, NotFoundException, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { UrlSigner } from '@shipbatch/platform/config';
import { FILE_STORAGE, type FileStorage, isValidFileKey } from '@shipbatch/shipping/application';
import { ApiErrors, ApiPublic } from '../openapi/decorators';

const PREFIX = '/files/';

/**
 * Label file downloads behind signed, expiring URLs (`FileStorage.urlFor`): no API key
 * needed, nothing guessable. A missing, expired or tampered signature, a malformed key
 * (path traversal included) and a missing file all answer 404 alike.
 */
@ApiTags('files')
@Controller('files')
export class FilesController {
  constructor(
    @Inject(FILE_STORAGE) private readonly storage: FileStorage,
    private readonly signer: UrlSigner,
  ) {}

  @Get('*path')
  @ApiPublic()
  @ApiParam({ name: 'path', type: String, description: 'the file key as in the link; it may hold slashes (left as they are)' })
  @ApiQuery({ name: 'expires', required: true, description: 'as in the link (seconds since the epoch)' })
  @ApiQuery({ name: 'signature', required: true, description: 'as in the link' })
  @ApiResponse({
    status: 200,
    description: 'The file',
    content: Object.fromEntries(
      ['application/pdf', 'image/png', 'application/zpl', 'application/octet-stream'].map((type) => [type, { schema: { type: 'string', format: 'binary' } }]),
    ),
  })
  @ApiErrors({ 404: 'the link is not valid, has expired or was altered, or the file does not exist' }, { tenant: false })
  @ApiOperation({
    operationId: 'downloadFile',
    summary: 'Download a label file',
    description: 'One label, or a merged file of a batch, by the signed, expiring link an answer gave (label_url, label_download and the like); no API key needed.',
  })
  async download(
    @Req() req: Request,
    @Res() res: Response,
    @Query('expires') expires?: string,
    @Query('signature') signature?: string,
  ): Promise<void> {
    let path: string;
    try {
      path = decodeURIComponent(req.path);
    } catch {
      throw new NotFoundException('file not found');
    }
    if (!this.signer.verify(path, expires, signature)) throw new NotFoundException('file not found or link expired');
    const key = path.slice(PREFIX.length);
    if (!path.startsWith(PREFIX) || !isValidFileKey(key)) throw new NotFoundException('file not found');
    const file = await this.storage.open(key);
    if (!file) throw new NotFoundException('file not found');
    res.status(200);
    res.setHeader('Content-Type', file.contentType);
    res.setHeader('Content-Length', String(file.size));
    res.setHeader('Cache-Control', 'private, max-age=300');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    try {
      await pipeline(file.stream, res);
    } catch {
      res.destroy(); // the client went away, or the file could not be read: nothing more to send
    }
  }
}
