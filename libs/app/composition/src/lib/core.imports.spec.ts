import { Test } from '@nestjs/testing';
import { ConfigModule, loadConfig } from '@shipbatch/platform/config';
import { startTestS3, type TestS3, tempDir } from '@shipbatch/platform/testing';
import { FILE_STORAGE, type FileStorage } from '@shipbatch/shipping/application';
import { LocalFileStorage, LocalFileStorageModule } from '@shipbatch/shipping/data-access';
import { ObjectStorageModule, S3FileStorage } from '@shipbatch/shipping/object-storage';
import { coreImports } from './core.imports';

describe('coreImports: the label files driver', () => {
  let s3: TestS3;
  const saved = { id: process.env['AWS_ACCESS_KEY_ID'], secret: process.env['AWS_SECRET_ACCESS_KEY'] };

  beforeAll(async () => {
    s3 = await startTestS3('wiring');
    // The SDK's default chain, as in production: here the environment.
    process.env['AWS_ACCESS_KEY_ID'] = s3.credentials.accessKeyId;
    process.env['AWS_SECRET_ACCESS_KEY'] = s3.credentials.secretAccessKey;
  });
  afterAll(async () => {
    for (const [name, value] of [['AWS_ACCESS_KEY_ID', saved.id], ['AWS_SECRET_ACCESS_KEY', saved.secret]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await s3.close();
  });

  async function fileStorage(env: Record<string, string>): Promise<{ imports: unknown[]; storage: FileStorage; close: () => Promise<void> }> {
    const config = loadConfig({ DATA_DIR: tempDir('shipbatch-wiring-'), ...env });
    const imports = coreImports(config, 'worker');
    const driver = config.fileStorage.driver === 's3' ? ObjectStorageModule : LocalFileStorageModule;
    const app = await Test.createTestingModule({ imports: [ConfigModule.forRoot(config), driver] }).compile();
    return { imports, storage: app.get<FileStorage>(FILE_STORAGE), close: () => app.close() };
  }

  it('binds the local driver unless FILE_STORAGE says s3', async () => {
    const { imports, storage, close } = await fileStorage({});
    expect(imports).toContain(LocalFileStorageModule);
    expect(imports).not.toContain(ObjectStorageModule);
    expect(storage).toBeInstanceOf(LocalFileStorage);
    await close();
  });

  it('binds the S3 driver with FILE_STORAGE=s3, on the SDK credential chain, and it reaches the bucket', async () => {
    const { imports, storage, close } = await fileStorage({ FILE_STORAGE: 's3', S3_BUCKET: s3.bucket, S3_ENDPOINT: s3.endpoint, S3_FORCE_PATH_STYLE: '1', S3_PREFIX: 'p' });
    expect(imports).toContain(ObjectStorageModule);
    expect(imports).not.toContain(LocalFileStorageModule);
    expect(storage).toBeInstanceOf(S3FileStorage);
    await storage.put('labels/x.pdf', Buffer.from('%PDF'), 'application/pdf');
    expect((await storage.read('labels/x.pdf')).toString()).toBe('%PDF');
    expect(storage.urlFor('labels/x.pdf')).toMatch(/^http:\/\/localhost:3000\/files\/labels\/x\.pdf\?expires=\d+&signature=/);
    await close();
  });
});
